# ruff: noqa: E501 — prose, one paragraph or list item per line, as analysts would type it.
"""The seed's narrative for the Plymouth 2019/20 demo, per theme and heading, and its emerging
issues. Wording is the seed's (Safer Plymouth strategic assessment 2019/20); only the text
extraction's artefacts are tidied (lines broken mid-sentence, headings fallen into paragraphs,
two columns interleaved), a few obvious typos corrected, and paragraphs set as Markdown lists.
Fragments of the source too garbled to recover are left out rather than guessed.

Figures the evidence holds are live figures (`[[Rape]]`, see reports/figures.py), so the text
and the crime table can never disagree. The seed has no narrative for violence and the
night-time economy or for acquisitive crime and disorder: their key statistics are the seed's
own words from its "Crime trends" section.
"""

from __future__ import annotations

DASV = {
    "key_statistics": """\
- Following an increase in 2018/19 the number of Domestic Abuse crimes recorded increased again in 2019/20: crimes increased by [[Domestic abuse crimes: % change]] ([[Domestic abuse crimes]] crimes) and incidents by [[Domestic abuse incidents: % change]] ([[Domestic abuse incidents]] incidents).
- There have been no Domestic Homicide Reviews (DHR) in Plymouth since 2017. We have published 2 DHRs this year and will be publishing 2 more by the end of the year, but they were for homicides dating 2013 to 2017.
- **[[Rape]] reported crimes of rape**, a [[Rape: % change]] increase from 2018/19. Plymouth has a higher rate of Rape and other Sexual Assault than its comparators.""",
    "impact": """\
- **Victim/subject** – short and long term physical impacts requiring medical assistance and potential for hospitalisation; long term psychological impacts requiring specialist intervention, risk of self-harm and suicide; link between domestic abuse and mental health issues; potential for loss of life – domestic homicide (worst-case scenario); developmental impact (ACE) upon child victims impacting upon future life outcomes (including employment, health, risk of being a victim or perpetrator of crime). Alcohol use seen as a significant factor and linked to more serious incidents. DASV in the family home impacts on young people needing to access housing support. Can have long-lasting financial impact on victim and their family.
- During COVID-19 we have seen escalating concerns on the impact of DASV upon mental health and suicidality; delays in victims accessing justice due to disruption to the courts system have contributed to this. A majority of our Plymouth MARAC cases now have mental health as a significant contributing factor.
- Police colleagues noted a rise in non-recent sexual violence reporting during early lockdown, perhaps reflecting people having time to reflect and act upon historic incidents.
- The issue of child to parent/carer violence is seen as a growing concern. Local data from our child centered policing team supports this and nearly half of our referrals to adolescent support involve child to parent violence. We would like to see this data collected across the Peninsula for future workshops. Concerns that verbal abuse can be normalised for some families.
- Child exploitation, including sexual, remains a concern, particularly during the continuing COVID-19 period, which presents a greater risk of exploitation. Children and young people can be less visible, and exploitation activities become harder to identify, disrupt and intervene. Online child sexual exploitation presents a particular challenge.
- **Community/public expectation** – there has been increased local and national media interest in domestic abuse during the COVID-19 period. We anticipate this may continue with the passage of the DA bill through Parliament. Visibility of sexual violence issues is much less.""",
    "likelihood": """\
- Domestic abuse is high frequency, high volume; other issues happen often but in lower numbers; adverse trends seen in domestic abuse, increases in Rape figures are of particular concern although we note that increased reporting can indicate increased confidence to do so.
- Community tension data indicates an increase in Domestic abuse (high risk) crime. This is corroborated by our specialist service provider, who had seen more complex and serious offences during COVID-19, including more incidents with weapons (around 1/5 of weapons offences in Plymouth are DA related). Since lockdown restrictions eased our MARAC referrals are up by approximately one third.
- The Sexual Assault Referral Centre noted an increase in sibling related incidents during lockdown. Voice of young people work (NSPCC) indicates that many young people experience harmful sexual behaviour as a norm that they know is not ok, but would not report.""",
    "organisational_response": """\
- **Costs to respond** are felt in all agencies – direct costs (police, health, social care) and indirect costs (mental and physical health impacts in later life); long term demands; DHRs require significant resources to co-ordinate and secure multi-agency participation. Our SafeLives commissioned needs assessment for Plymouth (January 2020) estimated the annual financial cost to the city of domestic abuse to be in excess of £24 million.
- **Capacity** – crime numbers on the increase but no additional resources to respond to this; an increase in police capacity will take time to impact due to the time to train and develop the skill set required. Safer Plymouth is seeking to address this with better partnership working, though there are also challenges around rising thresholds in other services (especially mental health). Partners in Plymouth have actively pursued additional funding made available during COVID-19. Plymouth Domestic Abuse Service have secured five additional Independent Domestic Violence Advisor posts and we have additional accommodation units and move on support. Concerns around capacity to deliver once these short term funded projects end, given impacts of COVID-19 could be generational.
- **Capability** – recommendations from Domestic Homicide Reviews identify capacity and capability amongst Primary Care as a gap; Plymouth is seeking to address this through a Sustainable and Transformational Partnership funded Primary Care project. Domestic Abuse training and trauma informed practice training have been disrupted by COVID-19, with moves being made to some virtual delivery. There are issues around whole system understanding of working with victims of rape and sexual assault; some issues exist with referrals to the Sexual Assault Referral Centre. Plymouth is seeking to ensure that child exploitation screening tools, as part of the development of an Adolescent Safety Framework, are used consistently to provide qualitative and informed professional judgments as to risk and the lived experience of a child/young person. Development of an Adolescent Safety Framework will enable contextual understanding and interventions for children and young people at risk of child exploitation.
- **Mitigating factors** – specialist services are in place to work with victims, and there is a move towards a more trauma informed whole system approach that will build capacity/skills for early intervention. Strong partnership working is seen as a real strength in the city, with our local Domestic Abuse and Sexual Violence (DASV) partnership increasing the frequency of meetings to monthly in response to COVID-19 and producing a coordinated approach document and action plan.
- There is an overall confidence in the intelligence assessment but underreporting is identified as a risk factor; specialist services have well developed and comprehensive knowledge. The DASV group receives monthly written updates from partners, which has improved our ability to form a detailed local picture. Pathfinder work should improve health based reporting. Our Domestic Abuse Systems Leadership work has given a wealth of Lived Experience intelligence which we use to inform system developments.""",
    "knowledge_gaps": """\
- Gaps identified include interventions for child sexual exploitation, including understanding the voice of lived experience.
- Adverse Childhood Experiences information is still emerging, although some partners such as the Adolescent Support Team are now collating this.
- Trauma Informed approaches are still new to some partners and as a partnership we await the full implications of the Domestic Abuse Bill.
- We identified a gap around clear pathways for reporting historic sexual violence.
- We are concerned that the Brook traffic light system for harmful sexual behaviours no longer being free may lead to future knowledge gaps, and impact upon pathways for referrals.
- More work can be undertaken to improve the consistent and qualitative use of the child exploitation screening tool, to promote professional judgment and secure the right help at the right time.""",
    "recommendation": """\
- Recommended CSP priority, with the focus on domestic abuse, rape and sexual assault, and CSA/CSE (within the wider context of child exploitation and development of the Adolescent Safety Framework).
- It is noted that ‘Other Sexual Offences’ covers a broad area of offending, so the risk may not be adequately reflected in the scoring outcomes.""",
}

ALCOHOL = {
    "key_statistics": """\
- **[[Dependent drinkers]] dependent drinkers**, [[Dependent drinkers (share of adults)]]% compared to [[Dependent drinkers (share of adults): comparator]]% nationally.
- Rates of **alcohol-related hospital admissions** are lower than the national average ([[Alcohol-related hospital admissions]] hospital admissions per 100,000 population compared to [[Alcohol-related hospital admissions: comparator]] nationally).
- **Under 18 alcohol-related admissions** are significantly higher than the national average ([[Under-18 alcohol-related admissions]] per 100,000 population aged under 18 in Plymouth compared to [[Under-18 alcohol-related admissions: comparator]] nationally).
- **[[Alcohol-related crime]] alcohol-related crimes**, an increase of [[Alcohol-related crime: % change]] on 2018/19 ([[Alcohol-related crime: previous]]).
- [[Alcohol-flagged share of crime and incidents]]% of all recorded crime and non-crime incidents is flagged as alcohol related.
- **[[Street drinking incidents]] incidents of street drinking**, [[Street drinking share of ASB]]% of all reported ASB incidents; this is a higher proportion than 2018/19 (9%).""",
    "impact": """\
- COVID-19 means alcohol related ASB related to the NTE is well down, although flashpoints occurred during the easing of restrictions, e.g. on the Barbican. Concerns that lockdown has increased levels of problematic alcohol consumption in the home; this may well take time to turn into referrals for help. Particular concern around alcohol use in the home and domestic abuse.
- **Victim/subject** – acute and chronic health impacts requiring hospitalisation, both immediate and longer term treatments; dependency requires specialist intervention; long term financial instability, lack of regular income; mental health issues and addiction increase the threat to individuals’ recovery capital.
- **Community** – visible disorder related to alcohol-related anti-social behaviour and violence will affect residents’ behaviour and their satisfaction with the city as a place to live. Physical and economic impacts on local businesses. Seems to be more visible lately due to displacement from other areas into the City Centre. Tensions relating to COVID-19 and the role of social media seem to have more impact on communities recently.""",
    "likelihood": """\
- High frequency, volume and adverse trends in problem drinking and hospital admissions; alcohol-related crime has increased in the 12 months up to March 2020.
- Our Specialist Young People Substance Misuse Service noted that the last NDTMS report did outline that Plymouth has a higher than average number of young people presenting with severe levels of alcohol use.""",
    "organisational_response": """\
- Regional/local priority to tackle effectively.
- **Costs to respond** are high – extending to crime and anti-social behaviour, health and care, families, lost income due to unemployment, lost productivity, absenteeism and accidents, costs of illness, disability and early death.
- **Capacity** – capacity for prevention/identification and response is limited; a well recognised situation. Individuals with significant psychological/psychiatric and physical co-morbidities make demands across the whole complex needs system of services. Capacity to respond to alcohol related crime has reduced due to reduced police resources.
- **Capability** – public understanding of the health harms associated with alcohol is limited. More focus is needed on universal approaches to information/awareness/prevention, rather than a ‘specialist workforce’; use of Mental Health Treatment Requirements is now being rolled out in Plymouth. Rehabilitation services may not be sufficient. Some schemes are due to stop next year as funding streams stop.
- **Mitigating factors** – alcohol-related health harms are well understood locally and are currently part of the city’s complex needs agenda and service re-procurement workstream; well established NTE response.
- Strong partnership working through Operation Hippic. The work of the Alliance in coordinating partnership responses and taking a holistic approach to complex needs has made significant improvements to this area of practice in Plymouth. We need to ensure the public are kept well informed of the positive work undertaken, as media/social media may not reflect reality on the ground. The city-wide PSPO order is imminent, giving powers to remove alcohol if use is ASB related.
- Overall confidence in the intelligence assessment.""",
    "knowledge_gaps": """\
- Gaps identified – dependent drinkers not engaged with services during COVID-19; drinking in the home, hidden harm.""",
    "recommendation": """\
- Recommended CSP priority, with the emphasis on problem drinking and complex needs rather than targeting alcohol-related crime.""",
}

DRUGS = {
    "key_statistics": """\
- Trafficking of Class A drugs – a reduction of [[Trafficking of drugs: % change]] in trafficking crimes recorded ([[Trafficking of drugs]], from [[Trafficking of drugs: previous]]).
- **[[Possession of drugs]] Possession of drugs crimes** recorded, an increase of [[Possession of drugs: % change]] ([[Possession of drugs: change]]).
- Plymouth’s rate of **death from drug misuse** ([[Deaths from drug misuse]] per 100,000) is higher than regional ([[Deaths from drug misuse (regional comparator): comparator]] per 100,000) and England ([[Deaths from drug misuse: comparator]] per 100,000).""",
    "impact": """\
- **Victim/subject** – acute and chronic health impacts requiring hospitalisation; dependency requires specialist intervention; long term financial instability, lack of regular income; mental health issues and addiction increase the threat to individuals’ recovery capital; potential for loss of life through overdose/suicide; high psychological and financial impact for individuals and their families if trafficking is related to Dangerous Drug Networks (DDNs).
- **Community** – increased concern in communities where drug dealing is visible; potential impacts on fear of crime and quality of life; increasing visibility of drug use seems to be increasing concern in the community. DDN activity is more hidden, so has less impact unless it is uncovered.
- Significant differences in Plymouth, with more DDNs and less County Lines activity. COVID-19 reduced County Lines activity in the city, but note this is liable to change as restrictions ease and we see changes in supply and demand.
- During COVID-19 we have seen an increase in the use of alcohol and benzodiazepines, including illicitly produced and potentially more dangerous counterfeit products. Decreased use of heroin (availability decrease and reported reduction in purity). Changes in substance type will impact on behaviour both in private homes and the community.
- The SHARP team (Specialist Young People Substance Misuse Service) noted increased use of social media, particularly Snapchat, being used with young people to obtain and sell substances during the COVID period.
- **Drug related deaths** – Plymouth has more deprivation, drug prevalence and inequality than nationally and its neighbours; that is why the rate of deaths is higher. It is expected and consistent with the rates of its statistical (as opposed to geographical) neighbours. There is overlap between drug/alcohol/fire/suicide/domestic homicide deaths and with certain illnesses and conditions, notably chronic obstructive pulmonary disease, bacterial infections (including MRSA, iGAS and TB) and viral infections such as Hepatitis C and HIV. This is why in Plymouth we look at drug deaths as part of an ‘Avoidable Deaths’ strategy (note ‘avoidable’, not ‘preventable’, because many are not preventable).
- Increased risk to local vulnerable young people who may be recruited into criminal activity – threats/experience of physical and sexual violence. The SHARP team raised concerns about the targeting of young people to supply drugs and exploitation. Partners noted that for some young people risks decreased during COVID-19 as they spent more time in the family environment, but for those accommodated outside the family home or in unstable environments the risk increased. The SHARP team noted increased reported ‘pill’ use (both MDMA and valium), with noted rises in nitrous oxide and some ketamine use.""",
    "likelihood": """\
- Frequent (constant) issue but mainly small volumes; increasing trend in trafficking and problem drug use.
- During COVID-19 arrests for drugs, trafficking and weapons all increased. Concern was raised at the 77% increase in under-18 possession of drugs, although the numbers involved are still low (47 to 83).
- Youth Offending Teams saw a 31% decrease in caseload during lockdown and decreased reported substance use during this period; however, substances were more easily obtained once restrictions eased.""",
    "organisational_response": """\
- National/regional/local priority to tackle effectively.
- **Costs to respond** are high across the system (housing, social care, health, police/CJS).
- **Capacity** – good police capacity to respond during COVID-19 led to a significant increase in arrests during this period; emptier streets made this activity easier to spot. Response is dynamic. Specialist services made significant adjustments to meet the needs of clients with social distancing – some longer term benefits for the use of technology in engaging clients may be evidenced, managing higher levels of referrals/improved engagement. Securing housing and tenancy support was a key priority for rough sleepers during the COVID ‘everyone in’ approach; effective partnership work with the Alliance helped to support people with substance misuse into accommodation, and there is a strong desire to maintain the gains made. The focus on traffickers as victims of DDNs is leading to more capacity being needed to provide safeguarding and response support.
- **Capability** – focus on young people – drug use, awareness of risks and where to get help, preventing involvement in the illegal drugs trade; drug needs in offenders are not reflected in the use of Drug Rehabilitation Requirements.
- **Mitigating factors** – the introduction of the child exploitation toolkit and associated training is raising awareness and some improvement is seen. The new Trauma Informed approach is helping to raise awareness around DDNs and drug trafficking. Strong partnership working through Operation Hippic and the work of the Alliance has made significant improvements. Plymouth is performing well for use of the partnership intelligence portal; this is an area Safer Plymouth could look to significantly build on current success.""",
    "knowledge_gaps": """\
- Gaps identified – understanding the relationship between serious group offending and local drug markets (including illegal, prescription drugs and new psychoactive substances); problem drug use in young people; links between DDNs and serious violence. Improve understanding of why there are gaps between offending around substance misuse and YOT referrals.
- Devon and Cornwall Police are preparing a 4P strategy for DDNs that should better inform impact/likelihood and threat analysis.
- Intelligence around counterfeit valium is being developed with A&E departments.
- Recognition that elements around drug supply are hidden, but knowledge around the harms is improving.""",
    "recommendation": """\
- Focus on protecting the vulnerable – preventing drug related deaths and reducing risks to young people of the illegal drugs trade.
- Focus on action to tackle Dangerous Drug Networks / Trafficking of Class A Drugs and the associated issue of drug related violence.""",
}

HATE_AND_PREVENT = {
    "key_statistics": """\
- **Hate Crime** – [[Hate crime]] offences, an increase of [[Hate crime: % change]] on 2018/19.
- Racism represents [[Hate crime: racism share]]%, Homophobia [[Hate crime: homophobia share]]%, Disablist [[Hate crime: disablist share]]% and Transphobic [[Hate crime: transphobic share]]% of hate crime.""",
    "impact": """\
- **Victim/subject** – acts of terrorism hold the greatest potential risk – mass casualties/loss of life – but incidence at this level is rare; terrorist activity could have a lasting psychological impact and victims of grooming could go on to become offenders; persistent/repeat hate crime can have long term psychological impacts and may require the victim and family to relocate.
- **Community** – raises fear and concerns for safety in affected communities; a major incident such as a terrorist attack has lasting impact on a community’s way of life; higher risk military sites (Devonport Dockyard and Millbay Docks).
- With hate crime, concern has gone up in local communities and there is more expectation for agencies to act. Black Lives Matter protests saw an associated rise in hate crime reporting. Use of social media and the internet means greater reach, so impact is wider; emergence of COVID related extremism against target groups (can be anti-Muslim, Q-Anon linked to anti-Semitism).""",
    "likelihood": """\
- Reported hate crime is frequent but low volume, with adverse trends apparent; terrorist incidents are rare and terrorist activity has been low level so far, but constant vigilance is required.""",
    "organisational_response": """\
- National/regional/local priority to tackle effectively; potentially international in respect of an act of terrorism.
- **Costs to respond** are managed within existing resources; hate crime has potential hidden costs (such as mental health impacts and rehousing); prevention and emergency response to terrorism are well established.
- **Capacity** – mostly managed within day to day business; Prevent training requires ongoing commitment to deliver; some capacity issues for agencies such as housing agencies when terrorist activity is disrupted.
- **Capability** – wider awareness of hate crime amongst some partners is needed. Third party reporting still needs improving in some areas of the city; transphobic incident reporting is still new for a lot of people, as is the new category of sex/gender hate crime. Better understanding is needed of the impact of COVID-19 upon the number of children and young people within elected home education, and of the city’s response to identify, protect from and prevent harm.
- **Mitigating factors** – the Counter Terrorism Local Profile identifies threats and risks; the Channel process is very effective locally – identifying and engaging people at risk; good joint partnership with Emergency Management. Third party reporting of hate crime has helped reach communities traditionally hard to reach, so there is a local change in this respect.""",
    "knowledge_gaps": """\
- Gaps identified – hate crime is still acknowledged as largely under-reported; continued issues around public confidence; improve data flow from third party reporting centres. Impact of Brexit.
- Understanding around whether BLM impacts on confidence in policing and reporting.""",
    "recommendation": """\
- Statutory duty to prevent terrorism; a high level of inherent risk requires ongoing vigilance, especially around high risk sites.
- Local responses to hate crime to focus on protecting the most vulnerable, preventing repeat victimisation and building public confidence to report incidents and seek support.
- We need to ensure Prevent training is fully embedded within a quality assured framework.
- Vulnerability (risk of hidden harm) of the increasing number of children and young people within elected home education as a consequence of COVID-19.""",
}

SERIOUS_ORGANISED = {
    "impact": """\
**Modern slavery**

- **Victim/subject** – physical and psychological abuse with long term recovery implications; financial deprivation through enslavement.
- **Community** – lack of awareness in the community; often pick up of ‘nuisance’ issues relating to modern slavery, e.g. waste, noise, antisocial behaviour.

**Cyber dependent crime, fraud and cyber related vulnerability**

- **Victim/subject** – cyber dependent crime: some physical and psychological impact on vulnerable people and the elderly; mainly medium-term financial impact, although some are long term. Cyber related vulnerability: the majority of cases are low impact, with the caveat of extreme cases of physical harm as a result of coercion into sexual or physical acts/self harm/suicide.
- **Community** – cyber dependent crime has potential for wide community impact, with an incident similar to the recent NHS cyberattack. Cyber related vulnerability: self-harm, sexting or CSE coercion online can rapidly reach significant numbers of children and young people via online communities.
- Need to maintain a focus on non-cyber fraud activities; these have been increasing with COVID related scams and illegal money lending.""",
    "likelihood": """\
- **Modern slavery** – numbers remain low and have reduced for 2019/20; there has been reduced reporting within the city.
- **Cyber dependent crime and fraud** – moderate volume, but numbers are increasing. Regional/local priority to tackle effectively.""",
    "organisational_response": """\
**Modern slavery**

- **Costs to respond** are increasing for the Local Authority, who retain responsibility for support for children and will have immediate response needs for adults prior to transfer to the Salvation Army under the Adult Care Contract; repeated targeting is resource intensive; significant cost implications to feed and house victims to enable police to carry out ABEs.
- **Mitigating factors** – managed through the mix of local and national resources in place; skills are rapidly evolving. The Safer People thematic group are developing a new Modern Day Slavery Strategy.

**Cyber dependent crime and fraud**

- **Costs to respond** are managed within existing resources; the police cyber crime unit has resource implications.""",
    "knowledge_gaps": """\
- **Modern slavery** – intelligence gathering remains a priority. NRM awareness raising is still needed with some partners, and there is concern over low referral rates.
- **Cyber** – need to seek data from a number of sources supporting victims of online exploitation/abuse to better understand the prevalence and nature of crimes.""",
    "recommendation": """\
- **Modern slavery** – statutory duty to respond to modern slavery; a high level of inherent risk requires ongoing vigilance; potential for escalation of risk as community awareness is raised and more cases are identified.
- **Cyber** – maintain a focus on cyber dependent crime and fraud through the Fraud and Cyber group. Consider expanding the remit of this group to include online harm and vulnerability.""",
}

VIOLENCE = {
    "key_statistics": """\
- The levels of violent crime recorded continue to stand out, as they have done for a number of years. The number of **Violence with Injury** offences recorded in 2019/20 reduced by [[Violence with injury: % change]] (from [[Violence with injury: previous]] to [[Violence with injury]]), but the rate of offences remains amongst the highest within the comparator group: Plymouth had the 12th highest rate (of 15).
- Conversely the number of **Violence without Injury** crimes increased by just [[Violence without injury: % change]] ([[Violence without injury: change]]) but remains low compared to the iQuanta group (Plymouth had the 6th lowest rate recorded in 2019/20).""",
}

ACQUISITIVE = {
    "key_statistics": """\
- Plymouth compares favourably to the average within its iQuanta group for 11 key crime types. These include Burglary within a residential setting, where the crime rate of [[Burglary residential: rate]] per 1,000 households is less than half that of the iQuanta group average ([[Burglary residential: msg rate]]), Burglary within a commercial setting, Robbery and vehicle related Theft offences. In 2019/20 Plymouth had the lowest rate of Serious Acquisitive Crime within its iQuanta group.
- Whilst the levels of **Robbery** remain comparatively low, it is one of a number of crime types where levels increased in 2019/20. The number of Robbery crimes recorded increased by [[Robbery: % change]], rising from [[Robbery: previous]] to [[Robbery]]; it is however important to note that this is still the third lowest rate within the iQuanta group.
- The Universal Dataset provided by Devon and Cornwall Police shows **[[Anti-social behaviour incidents]] Anti-Social Behaviour incidents** recorded, a [[Anti-social behaviour incidents: % change]] reduction on the number recorded in 2018/19 ([[Anti-social behaviour incidents: previous]]).""",
}

THEME_NARRATIVE: dict[str, dict[str, str]] = {
    "Domestic abuse and sexual violence": DASV,
    "Alcohol-related harm": ALCOHOL,
    "Drug-related harm": DRUGS,
    "Hate crime and Prevent": HATE_AND_PREVENT,
    "Serious and organised crime": SERIOUS_ORGANISED,
    "Violence and night-time economy": VIOLENCE,
    "Acquisitive crime and disorder": ACQUISITIVE,
}

EMERGING_ISSUES: list[tuple[str, str]] = [
    (
        "Child to parent violence",
        """\
The issue of child to parent/carer violence is seen as a growing concern and has been identified as a priority issue by our Safer Families group. Local data from our child centered policing team supports this, and nearly half of referrals (14 so far in 2020) to our Adolescent Support Team involve child to parent violence. We would like to see this data collected across the Peninsula for future workshops.

Partners noted that parents tend to report only the more extreme incidents. Concerns that verbal abuse can be normalised for some families. Partners noted links between children and young people experiencing adverse childhood experiences and child to parent/carer violence, particularly violence in the home and separation of parents. The AST now track ACEs to help develop understanding of this issue.""",
    ),
    (
        "Knife crime",
        """\
Our local specialist problem solver was able to bring a detailed breakdown of Offensive Weapons Crimes in Plymouth between January and August 2020 (awaiting sign off, so only shared internally). This included knives but could also cover other types of weapons or implements used as weapons. During COVID we see a pattern of stable possession offences but an increase in harm offences. Alcohol is the most significant aggravating factor, but we note with concern that 1 in 5 offences are domestic abuse related (see also the domestic abuse and sexual violence section). The majority of offenders are aged 26 to 35.

Figures for young people aged 10 to 18 show there are significantly more possession offences than harm offences. Partners note that vulnerability and fear of violence are driving factors in young people carrying weapons.

- Responses developed by Safer Plymouth partners should be trauma informed and focus on developing skills for conflict resolution.
- Activity should focus on identified vulnerable groups.
- Communications/campaigns should be sensitive to the underlying anxieties that lead to young people carrying weapons, and caution exercised so that fear of knife crime is not exacerbated, as this could be counter-productive.
- In Plymouth we will continue to work with Youth Parliament members and Young Safeguarders to inform our approach.

The Force is drafting a strategic 4P plan on Knife Crime to support our understanding and approach.""",
    ),
]
