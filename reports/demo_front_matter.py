# ruff: noqa: E501 — prose, one paragraph or list item per line, as analysts would type it.
"""The seed's front matter for the Plymouth 2019/20 demo (reports/front_matter.py keys).

Wording is the seed's (Safer Plymouth strategic assessment 2019/20); only the text
extraction's artefacts are tidied (list items broken mid-sentence, a few obvious typos).
Figures the evidence holds are live figures, so the commentary and the crime table agree.
"""

from __future__ import annotations

from assessments.demo import OTHER_ORGANISATIONS

INTRODUCTION = """\
Safer Plymouth is the **community safety partnership** for the city of Plymouth. We are made up of six statutory organisations (referred to as **responsible authorities**), working alongside a wide range of other agencies to protect our local community from crime and to help people feel safer. The responsible authorities are Plymouth City Council, Devon and Cornwall Police, Devon and Somerset Fire and Rescue Service, National Probation Service, Dorset, Devon and Cornwall Community Rehabilitation Company and Devon Clinical Commissioning Group (CCG).

Achieving safer communities depends on everyone working together to find local solutions to local problems. Safer Plymouth has a responsibility to do all that it can to reduce crime and disorder including domestic abuse and sexual violence, antisocial behaviour, problem use of drugs and alcohol and re-offending. Safer Plymouth provides leadership, support and co-ordination of the work of all the partners in the local area by:

- Producing an annual strategic assessment to identify community safety priorities and setting objectives;
- Developing a three year Partnership Plan, refreshed annually, to ensure priorities are the same and co-ordinate activities to address the community safety priorities;
- Monitoring delivery against objectives and driving good performance by targeting resources to deliver efficient and effective outcomes for communities;
- Developing a communication plan to raise the profile of Safer Plymouth, its purpose, priorities and achievements."""

GOVERNANCE = """\
Safer Plymouth reports to the Health and Wellbeing Board to ensure strong links between community safety issues and health and wellbeing issues, allowing the Safer Plymouth Board to lead on community safety issues, and quality assure activity.

As part of the development of **Statutory Partnership Plans**, Community Safety Partnerships (CSPs) are required to **set their priorities** based upon the findings from the evidence presented in their **local Strategic Assessments**.

The Partnership Plan for Safer Plymouth is contained within the overarching Plymouth Plan, which sets out the direction of travel for the long term future of the city until 2034, specifically to “work towards delivering strong and safe communities and good quality neighbourhoods by delivering a partnership approach to: tackle crime and disorder that causes the most harm and affects those most at risk; reducing opportunities for crime and the fear of crime by requiring all new development to incorporate good design principles”.

This document is intended to inform the development of the community safety element of the Plan."""

# The seed thanks 20 organisations: the workshop's other organisations (assessments/demo.py,
# loaded as the demo's partners), with the council and the police in the seed's own words.
ACKNOWLEDGED_ORGANISATIONS = (
    "Plymouth City Council, including Public Health",
    "Devon and Cornwall Police",
    OTHER_ORGANISATIONS[0],  # the probation service
    "Dorset, Devon and Cornwall Community Rehabilitation Company",
    *OTHER_ORGANISATIONS[1:],
)

ACKNOWLEDGEMENTS = """\
This assessment was prepared by Plymouth City Council, in partnership with a broad representation of public, voluntary and community sector organisations working in Plymouth. Crime analysis is based on the 12 months up to the end of March 2020 unless otherwise stated.

Special thanks are given to the following organisations for their input and support at the local workshop and subsequent follow up requests:

""" + "\n".join(f"- {name}" for name in ACKNOWLEDGED_ORGANISATIONS)

AREA_OVERVIEW = """\
Plymouth is Britain's Ocean city with ambitious plans to be one of Europe's most vibrant waterfront cities. Plymouth is one of the largest cities on the south coast and the fifteenth largest city in England. With a travel-to-work area bringing in over 100,000 people, a tourist industry drawing in more than 5 million visitors, and approximately 26,000 students, the city is a significant economic and cultural centre which also enjoys a thriving evening and night time economy.

Plymouth is also a city that has **significant deprivation**. More than 29,000 city residents live in the most (10%) deprived areas in England. **Inequalities** occur both **geographically** across the city, and **within and across communities**, with **disadvantaged and marginalised populations** most severely affected. These communities experience **multiple social and economic issues**, such as lower incomes, higher unemployment rates, poorer health and housing conditions and higher rates of crime and disorder."""

CRIME_TRENDS = """\
Overall recorded crime in Plymouth decreased by [[All crime: % change]] or 602 crimes in the 12 month period to end March 2020 compared with the same period the previous year. This follows on from increases reported in the last two strategic assessments. Plymouth has a comparatively low crime rate for a city of its type and is placed second in its most similar family group of partnerships (where first is lowest). Plymouth's crime rate is 87.84 crimes per 1,000 population compared to an average of 107.8 for the iQuanta group of similar areas within which it sits.

Plymouth also compares favourably to the average within its iQuanta group for 11 key crime types. These crime types include Burglary within a residential setting, where the crime rate of 5.9 is less than half that of the iQuanta group average (13.2), Burglary within a commercial setting, Robbery and vehicle related Theft offences. In 2019/20 Plymouth had the lowest rate of Serious Acquisitive Crime within its iQuanta group.

Whilst the levels of Robbery remain comparatively low it is one of a number of crime types where levels increased in 2019/20. The number of Robbery crimes recorded increased by [[Robbery: % change]], rising from [[Robbery: previous]] to [[Robbery]]; it is however important to note that this is still the third lowest rate within the iQuanta group.

The levels of violent crime recorded continue to stand out as they have done for a number of years. The number of Violence with Injury offences recorded in 2019/20 reduced by [[Violence with injury: % change]] (or 252 crimes) but the rate of offences remains amongst the highest within its comparator group: Plymouth had the 12th highest rate (of 15). Conversely the number of Violence without Injury crimes increased by just [[Violence without injury: % change]] (+36) but remains low compared to the iQuanta group (Plymouth had the 6th lowest rate recorded in 2019/20).

There is no comparator information available for Domestic Abuse (DA) offences but in 2019/20 the levels of both DA related crimes and DA related incidents increased, by [[Domestic abuse crimes: % change]] (+240) and [[Domestic abuse incidents: % change]] (+141) respectively.

Other notable increases include a [[Rape: % change]] (+58) rise in Rape, a [[Possession of drugs: % change]] (+40) rise in Possession Drugs and a [[Hate crime: % change]] rise in crimes recorded with a Hate Crime flag. In 2019/20 Plymouth has the 12th highest (of 15) rate of Rape offences within its group of similar cities."""

METHOD = """\
A full MoRiLE analysis was undertaken in early 2019 and due to COVID-19 this has not been possible in 2020. In its place a series of working groups have taken place to review the findings of 2019, and to consider the impact of COVID-19. The lists of risk below remain largely unchanged from 2019 following these working group sessions."""

SOURCES = """\
Crime figures are from iQuanta unless stated; anti-social behaviour, monthly and neighbourhood figures are from the Universal Data Set provided by Devon and Cornwall Police.

All data was drawn from the police **Universal Data Set/iQuanta** and other **routinely available data** (dependent drinkers estimates, estimates of opiate and/or crack use, road traffic collisions etc.). A full list of sources can be provided on request."""

FRONT_MATTER = {
    "introduction": INTRODUCTION,
    "governance": GOVERNANCE,
    "acknowledgements": ACKNOWLEDGEMENTS,
    "area_overview": AREA_OVERVIEW,
    "crime_trends": CRIME_TRENDS,
    "method": METHOD,
    "sources": SOURCES,
}
