"""The audit trail is permanent: each row keeps the names of its risk, factor, organisation and
person, and outlives them; risk deletions are recorded too. Existing rows get today's names
(the best there is) and their assessment's factor names."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models




def fill_names(apps, schema_editor):
    """Name each existing row's risk, factor, organisation and person."""
    from assessments.scoring import DEFAULT_MODEL  # only for an assessment never frozen

    Assessment = apps.get_model("assessments", "Assessment")
    ScoreChange = apps.get_model("assessments", "ScoreChange")
    ScoringModel = apps.get_model("assessments", "ScoringModel")
    partnership_specs = dict(ScoringModel.objects.values_list("partnership_id", "spec"))
    factor_names = {}
    for assessment in Assessment.objects.all():
        spec = (
            assessment.scoring_spec
            or partnership_specs.get(assessment.partnership_id)
            or DEFAULT_MODEL.to_dict()
        )
        factor_names[assessment.pk] = {f["key"]: f["name"] for f in spec["factors"]}
    changes = ScoreChange.objects.select_related("risk", "organisation", "changed_by")
    batch = []
    for change in changes.iterator(chunk_size=1000):
        change.risk_name = change.risk.name
        names = factor_names[change.assessment_id]
        change.factor_name = names.get(change.factor_key, change.factor_key)
        if change.organisation:
            change.organisation_name = change.organisation.name
        if user := change.changed_by:
            change.changed_by_username = user.username
            change.changed_by_name = f"{user.first_name} {user.last_name}".strip()
        batch.append(change)
        if len(batch) == 1000:
            ScoreChange.objects.bulk_update(batch, NAME_FIELDS)
            batch = []
    ScoreChange.objects.bulk_update(batch, NAME_FIELDS)


NAME_FIELDS = [
    "risk_name",
    "factor_name",
    "organisation_name",
    "changed_by_username",
    "changed_by_name",
]


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_published_assessment_is_final'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='scorechange',
            name='changed_by_name',
            field=models.CharField(blank=True, help_text='Full name then.', max_length=301),
        ),
        migrations.AddField(
            model_name='scorechange',
            name='changed_by_username',
            field=models.CharField(blank=True, max_length=150),
        ),
        migrations.AddField(
            model_name='scorechange',
            name='factor_name',
            field=models.CharField(blank=True, help_text='As it was named then.', max_length=200),
        ),
        migrations.AddField(
            model_name='scorechange',
            name='organisation_name',
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.AddField(
            model_name='scorechange',
            name='risk_name',
            field=models.CharField(default='', help_text="The risk's name at the time.", max_length=200),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name='scorechange',
            name='assessment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='score_changes', to='assessments.assessment'),
        ),
        migrations.AlterField(
            model_name='scorechange',
            name='factor_key',
            field=models.CharField(blank=True, help_text="or 'priority' for the board's mark", max_length=40),
        ),
        migrations.AlterField(
            model_name='scorechange',
            name='kind',
            field=models.CharField(choices=[('analyst', "Analyst's pre-score"), ('agreed', 'Agreed value'), ('submission', 'Partner submission'), ('deleted', 'Risk deleted')], max_length=10),
        ),
        migrations.AlterField(
            model_name='scorechange',
            name='risk',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='score_changes', to='assessments.risk'),
        ),
        migrations.RunPython(fill_names, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='scorechange',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['analyst', 'agreed', 'submission', 'deleted'])), name='score_change_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='scorechange',
            constraint=models.CheckConstraint(condition=models.Q(('risk_name', ''), _negated=True), name='score_change_names_its_risk'),
        ),
        migrations.AddConstraint(
            model_name='scorechange',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'deleted'), models.Q(('factor_name', ''), _negated=True), _connector='OR'), name='score_change_names_its_factor'),
        ),
    ]
