"""Evidence: indicators (crime categories, health figures) with values per period and area."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from assessments import statistics
from assessments.models.core import Assessment, Partnership
from assessments.periods import validate_period


class AreaKind(models.TextChoices):
    PARTNERSHIP = "partnership", "Partnership area"
    NEIGHBOURHOOD = "neighbourhood", "Neighbourhood"


class Area(models.Model):
    """The partnership's whole area, or one of its neighbourhoods."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="areas")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AreaKind.choices)

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="area_unique_name"),
            models.UniqueConstraint(
                fields=["partnership"],
                condition=models.Q(kind="partnership"),
                name="area_one_partnership_area",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=AreaKind.values), name="area_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Residents (and, where known, households) of an area in a period, for rates per 1,000."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    period = models.CharField(max_length=7, validators=[validate_period])
    population = models.PositiveIntegerField(validators=[MinValueValidator(1)])
    # Some rates are per household (iQuanta's residential burglary): without this figure
    # they are unknown, never worked out per resident instead.
    households = models.PositiveIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1)], help_text="empty: not known"
    )

    class Meta:
        ordering = ["area__name", "period"]
        constraints = [
            models.UniqueConstraint(fields=["area", "period"], name="population_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(population__gt=0), name="population_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(households__isnull=True) | models.Q(households__gt=0),
                name="population_households_positive",
            ),
        ]


class LsoaNeighbourhood(models.Model):
    """Which neighbourhood an LSOA (small census area) belongs to, so records roll up."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="lsoa_lookups"
    )
    lsoa_code = models.CharField(max_length=9)
    neighbourhood = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="lsoas")

    class Meta:
        ordering = ["lsoa_code"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "lsoa_code"], name="lsoa_unique_code")
        ]


class IndicatorKind(models.TextChoices):
    CRIME = "crime", "Crime or incident"
    HEALTH = "health", "Health"
    OTHER = "other", "Other"


class RateBasis(models.TextChoices):
    """What an indicator's rate per 1,000 is counted against (its comparators' too)."""

    RESIDENTS = statistics.RESIDENTS, "per 1,000 residents"
    HOUSEHOLDS = statistics.HOUSEHOLDS, "per 1,000 households"


class Indicator(models.Model):
    """Something measured each year: a crime category or a health or other statistic."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="indicators"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=IndicatorKind.choices, default="crime")
    unit = models.CharField(
        max_length=40, default="count", help_text="count, per 100000, percent, people…"
    )
    order = models.PositiveIntegerField(default=0)
    rate_basis = models.CharField(
        max_length=20,
        choices=RateBasis.choices,
        default=RateBasis.RESIDENTS,
        help_text="what the rate per 1,000 and the most similar group's rate are counted against",
    )

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="indicator_unique_name"),
            models.CheckConstraint(
                condition=models.Q(kind__in=IndicatorKind.values), name="indicator_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(rate_basis__in=RateBasis.values),
                name="indicator_rate_basis_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_count(self) -> bool:
        return self.unit == "count"


class IndicatorValue(models.Model):
    """An indicator's value for one period and area, with optional comparators."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values")
    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="indicator_values")
    period = models.CharField(max_length=7, validators=[validate_period])
    value = models.DecimalField(max_digits=14, decimal_places=4)
    # Comparators: most similar group (MSG) average rate per 1,000 and rank, regional, national.
    msg_rate_per_1000 = models.DecimalField(max_digits=12, decimal_places=4, null=True, blank=True)
    msg_rank = models.PositiveIntegerField(
        null=True, blank=True, help_text="position in the most similar group (1 = lowest rate)"
    )
    msg_group_size = models.PositiveIntegerField(null=True, blank=True)
    regional_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    regional_label = models.CharField(max_length=100, blank=True)
    national_value = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    national_label = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=40, blank=True, help_text="summary, records, indicators")
    dataset = models.CharField(
        max_length=100, blank=True, help_text="the dataset or file the figure comes from"
    )
    months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="months of the period the figure covers, for figures counted from records "
        "(12 is the whole year); empty for figures given for the whole year",
    )

    class Meta:
        ordering = ["indicator__order", "indicator__name", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"], name="indicator_value_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(value__gte=0), name="indicator_value_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(months__isnull=True) | models.Q(months__range=(1, 12)),
                name="indicator_value_months_1_to_12",
            ),
            models.CheckConstraint(
                condition=models.Q(msg_rank__isnull=True)
                | models.Q(msg_group_size__isnull=True)
                | models.Q(msg_rank__lte=models.F("msg_group_size")),
                name="indicator_value_rank_within_group",
            ),
        ]

    @property
    def is_partial_year(self) -> bool:
        return self.months is not None and self.months < 12


class CategoryMapping(models.Model):
    """A source's label (e.g. police.uk 'Bicycle theft') counted under an indicator."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="category_mappings"
    )
    source_label = models.CharField(max_length=200)
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="mappings")

    class Meta:
        ordering = ["source_label"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "source_label"], name="category_mapping_unique_label"
            )
        ]


class RecordCount(models.Model):
    """Record-level data aggregated on import: how many records per category, month and LSOA."""

    # Indexed by the constraint and index below, which start with it.
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="record_counts", db_index=False
    )
    dataset = models.CharField(max_length=40, help_text="e.g. police-uk, or a local file's name")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="records")
    period = models.CharField(max_length=7)
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    lsoa_code = models.CharField(max_length=20, blank=True, help_text="empty: no location")
    flag = models.CharField(max_length=60, blank=True, help_text="empty: all records")
    count = models.PositiveIntegerField()

    class Meta:
        constraints = [
            # Month before indicator: re-imports delete by dataset and month through it.
            models.UniqueConstraint(
                fields=["partnership", "dataset", "month", "indicator", "lsoa_code", "flag"],
                name="record_count_unique_by_month",
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "period"], name="record_count_period"),
        ]


class RecordMonth(models.Model):
    """One dataset's records for one month: when they were imported, how many there are, and
    how many count toward the partnership's area. The area figures are worked out on import
    (and again when the LSOA look-up changes, except for published periods) and kept, so a
    later look-up never changes what a published assessment shows."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="record_months"
    )
    dataset = models.CharField(max_length=40)
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    period = models.CharField(max_length=7)
    imported_at = models.DateTimeField()
    records = models.PositiveIntegerField(help_text="every record of the month, in any area")
    crimes = models.PositiveIntegerField(
        default=0,
        help_text="crimes (not anti-social behaviour) in the partnership's area or with no "
        "location: the month's 'All crime'",
    )
    outside_area = models.PositiveIntegerField(
        default=0, help_text="records in LSOAs outside the partnership's look-up"
    )

    class Meta:
        ordering = ["month", "dataset"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "dataset", "month"], name="record_month_unique"
            ),
        ]
        indexes = [models.Index(fields=["partnership", "period"], name="record_month_period")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.month}"


class ImportRun(models.Model):
    """A successful import: who loaded which file, of what kind, when, and how much."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="imports")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="imports"
    )
    kind = models.CharField(max_length=20)
    filename = models.CharField(max_length=255)
    rows = models.PositiveIntegerField(default=0)
    summary = models.TextField(blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-imported_at"]
