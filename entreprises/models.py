from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from common.model_mixins import Located, french_required
from common.validators import NEQ_REGEX, normalize_phone, validate_neq
from entreprises import opening_hours, social_links
from entreprises.enums import (
    CooperativeType,
    Customer,
    ImportStatus,
    LegalForm,
    Status,
    StepFreeAccess,
)

# The oldest collective enterprises of Québec date from the 19th century.
EARLIEST_FOUNDING_YEAR = 1800


class Sector(models.Model):
    """A sector of activity; a sector with a parent is a sub-sector."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("slug"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    synonyms = models.TextField(
        _("synonyms"),
        blank=True,
        help_text=_(
            "Words and phrases people search this sector by, separated by commas "
            "(for example: daycare, child care). Each finds every enterprise of the sector."
        ),
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent sector"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    essglobal_code = models.CharField(
        _("ESSGlobal activity code"),
        max_length=3,
        blank=True,
        help_text=_("RIPESS ESSGlobal vocabulary code (A01 to A21), for linked-data exports."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")
        constraints = [
            french_required("name"),
            models.CheckConstraint(
                condition=Q(essglobal_code="")
                | Q(essglobal_code__regex=r"^A(0[1-9]|1[0-9]|2[01])$"),
                name="entreprises_sector_essglobal_code_format",
            ),
            models.CheckConstraint(
                condition=~Q(parent=models.F("id")), name="entreprises_sector_not_own_parent"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entreprises:sector", kwargs={"slug": self.slug})


def _lacks_english(text: str) -> Q:
    return Q(**{f"{text}_en__isnull": True}) | Q(**{f"{text}_en": ""})


# The texts written for visitors, which the English page needs in English. Not the name:
# an enterprise's name is written as the enterprise writes it, in every language.
TEXTS_TO_TRANSLATE = (
    "description",
    "mission",
    "products_services",
    "opening_hours_note",
    "image_alt",
)


def english_missing_condition() -> Q:
    """An enterprise with a text written in French and not in English.

    Also the condition of a partial index, so the admin finds the few such records fast.
    """
    condition = Q()
    for text in TEXTS_TO_TRANSLATE:
        condition |= Q(**{f"{text}_fr__gt": ""}) & _lacks_english(text)
    return condition


def shown_name(language: str):
    """The name a page in `language` shows: the enterprise's official name in that
    language when it has one, else its French name (also the directory's order)."""
    if language == "fr":
        return models.F("name_fr")
    return Coalesce(NullIf(f"name_{language}", Value("")), "name_fr")


def in_language(field: str, language: str):
    """A translated text as a page in `language` shows it, read by a query (`field` may
    follow a relation): the text in that language, else the French one, as
    modeltranslation falls back when the text is empty. (`shown_name` keeps its own
    expression: an index is built on it.)"""
    if language == "fr":
        return models.F(f"{field}_fr")
    return Coalesce(
        NullIf(f"{field}_{language}", Value("")), f"{field}_fr", output_field=models.CharField()
    )


class ShownNameOrder:
    def order_by(self, *field_names):
        """`order_by("name")` sorts by the name the page shows: on an English page, the
        English name where there is one, else the French name (most have no English name;
        modeltranslation alone would sort by the empty English ones)."""
        return super().order_by(*(_by_shown_name(name) for name in field_names))


class EnterpriseQuerySet(ShownNameOrder, models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def demo(self):
        return self.filter(is_demo=True)

    def real(self):
        return self.filter(is_demo=False)


class SearchEntryQuerySet(ShownNameOrder, models.QuerySet):
    pass


def _by_shown_name(field):
    if not isinstance(field, str) or field.lstrip("-") not in NAME_ORDERS:
        return field
    language = NAME_ORDERS[field.lstrip("-")] or get_language() or "fr"
    if language == "fr" or language not in dict(settings.LANGUAGES):
        return field.replace("name", "name_fr") if field.lstrip("-") == "name" else field
    expression = shown_name(language)
    return expression.desc() if field.startswith("-") else expression.asc()


# "name" is the current language's; "name_en" the English page's, read with its fallback.
NAME_ORDERS = {"name": None, **{f"name_{code}": code for code, _name in settings.LANGUAGES}}


class Enterprise(Located):
    """A collective enterprise: a cooperative, a non-profit organization or a mutual."""

    name = models.CharField(
        _("name"),
        max_length=200,
        help_text=_(
            "As the enterprise writes it. Fill the English name only when the enterprise has "
            "an official English name: a name is never translated."
        ),
    )
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    cooperative_type = models.CharField(
        _("type of cooperative"),
        max_length=20,
        choices=CooperativeType.choices,
        blank=True,
        help_text=_("Only for cooperatives."),
    )
    neq = models.CharField(
        _("Québec enterprise number (NEQ)"),
        max_length=10,
        blank=True,
        validators=[validate_neq],
    )
    description = models.TextField(_("description"), blank=True)
    mission = models.TextField(_("mission"), blank=True)
    sectors = models.ManyToManyField(
        Sector,
        verbose_name=_("sectors"),
        through="EnterpriseSector",
        related_name="enterprises",
    )
    pole = models.ForeignKey(
        "poles.Pole",
        verbose_name=_("pole"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    region = models.ForeignKey(
        "poles.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enterprises",
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("year founded"),
        null=True,
        blank=True,
        validators=[MinValueValidator(EARLIEST_FOUNDING_YEAR)],
    )
    employees = models.PositiveIntegerField(
        _("employees"), null=True, blank=True, validators=[MaxValueValidator(1_000_000)]
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    is_demo = models.BooleanField(
        _("fictitious demonstration record"),
        default=False,
        help_text=_("Made up by generate_demo; never a real enterprise."),
    )
    facebook_url = models.URLField(
        "Facebook", blank=True, validators=[social_links.NetworkHostValidator("facebook_url")]
    )
    instagram_url = models.URLField(
        "Instagram", blank=True, validators=[social_links.NetworkHostValidator("instagram_url")]
    )
    linkedin_url = models.URLField(
        "LinkedIn", blank=True, validators=[social_links.NetworkHostValidator("linkedin_url")]
    )
    youtube_url = models.URLField(
        "YouTube", blank=True, validators=[social_links.NetworkHostValidator("youtube_url")]
    )
    other_social_url = models.URLField(
        _("other social network"),
        blank=True,
        help_text=_("Any other page of the enterprise: Mastodon, TikTok, a blog..."),
    )
    opening_hours = models.JSONField(
        _("opening hours"),
        default=dict,
        blank=True,
        validators=[opening_hours.validate],
        help_text=_(
            "Days and times, for example: mon-fri 9:00-17:00; sat 10:00-12:00, 13:00-16:00. "
            "Days not given are closed."
        ),
    )
    opening_hours_note = models.TextField(
        _("exceptions to the opening hours"),
        blank=True,
        help_text=_("Holidays, seasonal closures, by appointment..."),
    )
    products_services = models.TextField(_("products and services"), blank=True)
    sells_to = ArrayField(
        models.CharField(max_length=20, choices=Customer.choices),
        verbose_name=_("sells to"),
        default=list,
        blank=True,
    )
    step_free_access = models.CharField(
        _("step-free access"),
        max_length=10,
        choices=StepFreeAccess.choices,
        default=StepFreeAccess.UNKNOWN,
        help_text=_("Can a wheelchair user enter without a step?"),
    )
    # Resized copies of the uploaded logo or photo (entreprises/images.py), never the upload.
    image_small = models.ImageField(
        _("logo or photo, small"), upload_to="entreprises", blank=True, editable=False
    )
    image_large = models.ImageField(
        _("logo or photo"), upload_to="entreprises", blank=True, editable=False
    )
    image_alt = models.CharField(
        _("text describing the logo or photo"),
        max_length=250,
        blank=True,
        help_text=_("What the image shows, for those who cannot see it."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)
    # Written by the database itself (a trigger, migration 0012) whenever the status
    # becomes published, by any path: the admin, imports, bulk updates, raw SQL.
    published_at = models.DateTimeField(_("published"), null=True, editable=False)
    # Written by entreprises.services.refresh_search_vectors(), read by the search.
    search_vector = SearchVectorField(null=True, editable=False)
    # The name, sectors and places of search_vector (its weights A and B), written with
    # it: what relevance is ranked by. A tenth of its size, so ranking thousands of
    # matches no longer reads every description's words (entreprises/search.py).
    rank_vector = SearchVectorField(null=True, editable=False)
    # The ids of the enterprise's sectors, sorted: a copy of its sector links that the
    # facets and the sector filter read without joining them. Written by the database
    # alone (triggers of migration 0013), whatever writes the links or the enterprise.
    sector_ids = ArrayField(models.BigIntegerField(), default=list, editable=False)
    last_verified_at = models.DateField(
        _("last verified"),
        null=True,
        blank=True,
        help_text=_("When someone last confirmed this record with the enterprise."),
    )

    objects = EnterpriseQuerySet.as_manager()

    class Meta(Located.Meta):
        # The French name: the English page's order is the shown name's (see shown_name).
        ordering = ["name_fr", "id"]
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            *Located.Meta.constraints,
            french_required("name"),
            models.UniqueConstraint(
                fields=["neq"],
                condition=~Q(neq=""),
                name="entreprises_enterprise_neq_unique",
                violation_error_message=_("Another enterprise already has this NEQ."),
            ),
            models.CheckConstraint(
                condition=Q(neq="") | Q(neq__regex=NEQ_REGEX),
                name="entreprises_enterprise_neq_format",
                violation_error_message=_(
                    "A Québec enterprise number (NEQ) has exactly 10 digits."
                ),
            ),
            models.CheckConstraint(
                condition=Q(legal_form=LegalForm.COOPERATIVE) | Q(cooperative_type=""),
                name="entreprises_enterprise_cooperative_type_only_for_cooperatives",
                violation_error_message=_("Only a cooperative has a type of cooperative."),
            ),
            models.CheckConstraint(
                condition=Q(legal_form__in=LegalForm.values),
                name="entreprises_enterprise_legal_form_valid",
            ),
            models.CheckConstraint(
                condition=Q(cooperative_type="") | Q(cooperative_type__in=CooperativeType.values),
                name="entreprises_enterprise_cooperative_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="entreprises_enterprise_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(founded_year__isnull=True)
                | Q(founded_year__gte=EARLIEST_FOUNDING_YEAR),
                name="entreprises_enterprise_founded_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(step_free_access__in=StepFreeAccess.values),
                name="entreprises_enterprise_step_free_access_valid",
            ),
            models.CheckConstraint(
                condition=Q(sells_to__contained_by=Customer.values),
                name="entreprises_enterprise_sells_to_valid",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "updated_at"], name="enterprise_status_updated"),
            models.Index(fields=["is_demo"], name="enterprise_is_demo"),
            # The admin's change list: most recently updated first, a page at a time.
            models.Index(fields=["updated_at", "id"], name="enterprise_updated"),
            models.Index(
                fields=["pole", "status"],
                condition=english_missing_condition(),
                name="enterprise_english_missing",
            ),
            # The map: counts and clusters of located enterprises read from the index alone.
            models.Index(
                fields=["longitude", "latitude"],
                condition=Q(status=Status.PUBLISHED, latitude__isnull=False),
                name="enterprise_published_points",
            ),
            # "Near": the box around a place, a range of latitudes then of longitudes, and
            # what a page of the nearest needs to choose its rows (the order by name,
            # then the key) read from the index alone, not from 1,000 wide rows.
            models.Index(
                fields=["latitude", "longitude"],
                include=["id", "name_fr", "name_en"],
                condition=Q(status=Status.PUBLISHED, latitude__isnull=False),
                name="enterprise_published_near",
            ),
            # The same by longitude first: the planner reads the narrower band. Around
            # Rimouski at 100,000 enterprises, 1,185 entries instead of 6,933 (the band of
            # latitudes crosses Québec along the river); around Saguenay, the other way.
            models.Index(
                fields=["longitude", "latitude"],
                include=["id", "name_fr", "name_en"],
                condition=Q(status=Status.PUBLISHED, latitude__isnull=False),
                name="enterprise_published_near_lon",
            ),
            GinIndex(fields=["search_vector"], name="enterprise_search_vector"),
            # The feed of newly published enterprises: the latest first.
            models.Index(
                fields=["-published_at", "-id"],
                condition=Q(status=Status.PUBLISHED),
                name="enterprise_newly_published",
            ),
            # The directory's order in each language, read page by page without a sort.
            models.Index(
                fields=["name_fr", "id"],
                condition=Q(status=Status.PUBLISHED),
                name="enterprise_published_name_fr",
            ),
            models.Index(
                shown_name("en"),
                "id",
                condition=Q(status=Status.PUBLISHED),
                name="enterprise_published_name_en",
            ),
            # Facet counts read from the index alone, not from the wide table.
            models.Index(
                fields=["status"],
                include=["id", "pole", "region", "legal_form", "is_demo", "sector_ids"],
                name="enterprise_facets",
            ),
            GinIndex(fields=["sector_ids"], name="enterprise_sector_ids"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("entreprises:detail", kwargs={"slug": self.slug})

    @property
    def name_language(self) -> str:
        """ "fr" when a page in another language shows the French name (the enterprise has
        no official name in that language), for its `lang` attribute; else ""."""
        language = get_language() or "fr"
        return "fr" if language != "fr" and not getattr(self, f"name_{language}", "") else ""

    def clean_fields(self, exclude=None):
        errors = {}
        if self.phone and "phone" not in (exclude or ()):
            try:
                self.phone = normalize_phone(self.phone)
            except ValidationError as error:
                errors["phone"] = error.error_list
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = {**error.update_error_dict({}), **errors}
        if errors:
            raise ValidationError(errors)

    def clean(self):
        super().clean()
        if self.founded_year and self.founded_year > timezone.localdate().year:
            raise ValidationError({"founded_year": _("The year founded cannot be in the future.")})
        if self.legal_form != LegalForm.COOPERATIVE and self.cooperative_type:
            raise ValidationError(
                {"cooperative_type": _("Only a cooperative has a type of cooperative.")}
            )
        # regions.all() so that an import reads the regions it prefetched once.
        if (
            self.pole_id
            and self.region_id
            and self.region_id not in {region.pk for region in self.pole.regions.all()}
        ):
            raise ValidationError({"region": _("The chosen pole does not serve this region.")})


class EnterpriseSector(models.Model):
    """An enterprise's sector; exactly one of them is its primary sector."""

    enterprise = models.ForeignKey(
        Enterprise, on_delete=models.CASCADE, related_name="sector_links"
    )
    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="enterprise_links")
    is_primary = models.BooleanField(_("primary sector"), default=False)

    class Meta:
        verbose_name = _("sector of an enterprise")
        verbose_name_plural = _("sectors of an enterprise")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "sector"], name="entreprises_enterprisesector_unique"
            ),
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_primary=True),
                name="entreprises_enterprisesector_one_primary",
                violation_error_message=_("An enterprise has only one primary sector."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} — {self.sector}"


class EnterpriseTombstone(models.Model):
    """What remains of a deleted enterprise, so that partners syncing the API remove it."""

    enterprise_id = models.BigIntegerField(_("enterprise id"), unique=True)
    slug = models.SlugField(_("slug"), max_length=220)
    deleted_at = models.DateTimeField(_("deleted"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["deleted_at", "enterprise_id"]
        verbose_name = _("deleted enterprise")
        verbose_name_plural = _("deleted enterprises")

    def __str__(self):
        return self.slug


class EnterpriseImport(models.Model):
    """A spreadsheet whose import staff confirmed: the worker writes it (all rows or none),
    since a large file takes longer than a web request may; its page shows where it stands.
    The file is kept until the import ends, then emptied."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("imported by")
    )
    file_name = models.CharField(_("file"), max_length=255)
    content = models.BinaryField(_("content"), editable=False)
    rows = models.PositiveIntegerField(_("lines"))
    # The language the person used: the result and any error are written in it.
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.WAITING
    )
    created = models.PositiveIntegerField(_("enterprises created"), default=0)
    updated = models.PositiveIntegerField(_("enterprises changed"), default=0)
    unchanged = models.PositiveIntegerField(_("enterprises unchanged"), default=0)
    error = models.TextField(_("error"), blank=True)
    # Made with the preview: two confirmations of one preview (a double click) make one
    # import, not two. NULL for the imports made before it, which share no value.
    token = models.CharField(_("preview"), max_length=64, unique=True, null=True)  # noqa: DJ001
    confirmed_at = models.DateTimeField(_("confirmed"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return self.file_name

    @property
    def is_pending(self) -> bool:
        return self.status in (ImportStatus.WAITING, ImportStatus.RUNNING)


class SearchEntry(models.Model):
    """What the directory's search reads of a published enterprise, one narrow row each.

    A search ranks and counts every match: read from the enterprise's own row (wide: its
    texts in two languages, about one row per page), 7,816 matches of one word at 100,000
    enterprises visited 7,400 pages. These rows hold only the vectors, the name (the
    order after relevance) and what the filters and facets read; the search vector is
    kept out of the row (only the index reads it), so about fifteen rows share a page.

    Written by the database alone (triggers of migration 0017) whenever a published
    enterprise is written, by any path, and removed when it stops being published: a
    copy that cannot drift from its enterprise.
    """

    enterprise = models.OneToOneField(
        Enterprise, on_delete=models.DO_NOTHING, primary_key=True, related_name="search_entry"
    )
    # Copies of modeltranslation's columns, which may hold NULL.
    name_fr = models.CharField(max_length=200, null=True)  # noqa: DJ001
    name_en = models.CharField(max_length=200, null=True)  # noqa: DJ001
    pole = models.ForeignKey(
        "poles.Pole",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    region = models.ForeignKey(
        "poles.Region",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    legal_form = models.CharField(max_length=20)
    sector_ids = ArrayField(models.BigIntegerField(), default=list)
    latitude = models.DecimalField(max_digits=8, decimal_places=6, null=True)
    longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True)
    search_vector = SearchVectorField(null=True)
    rank_vector = SearchVectorField(null=True)

    objects = SearchEntryQuerySet.as_manager()

    class Meta:
        indexes = [GinIndex(fields=["search_vector"], name="search_entry_vector")]

    def __str__(self):
        return self.name_fr or ""


# The home page's map preview: southern Québec, where nearly every enterprise is, in cells
# of a quarter of a degree (a dot each). Written into the triggers of migration 0021.
PREVIEW_WEST, PREVIEW_EAST, PREVIEW_SOUTH, PREVIEW_NORTH = -80.0, -57.0, 44.9, 53.0
PREVIEW_CELL = "0.25"


class PublishedTally(models.Model):
    """The published enterprises counted by region, demonstration flag and cell of the map
    preview: the home page's figures, read from a few hundred rows rather than by a scan
    of every published enterprise (324 ms at 100,000, after each change).

    Written by the database alone (triggers of migration 0021), whatever writes an
    enterprise: each change of what is counted adds a row of -1 for what the enterprise
    counted as and one of +1 for what it counts as now; the sums are the counts. Rows
    are added, never updated, so that writers never wait for one another; reading folds
    them into one row per key when they have piled up (`fold_published_tally`).
    """

    region = models.ForeignKey(
        "poles.Region",
        on_delete=models.DO_NOTHING,
        null=True,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    is_demo = models.BooleanField()
    # floor(longitude / PREVIEW_CELL) and floor(latitude / PREVIEW_CELL), inside the
    # preview's box; NULL outside it or without coordinates.
    preview_column = models.IntegerField(null=True)
    preview_row = models.IntegerField(null=True)
    change = models.IntegerField()

    def __str__(self):
        return f"{self.region_id} {self.is_demo} {self.preview_column} {self.preview_row}"
