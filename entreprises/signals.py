"""Enterprises are found by the names of their sectors (and the sectors' synonyms),
pole and region, and the API shows those names: when one of those changes, the
search vectors and the `updated_at` of the enterprises concerned follow."""

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from entreprises.models import Enterprise, EnterpriseSector, Sector
from entreprises.services import refresh_search_vectors, touch_enterprises
from poles.models import Pole, Region

SEARCHED_NAMES = ("name_fr", "name_en")
SEARCHED_FIELDS = {
    Sector: (*SEARCHED_NAMES, "synonyms_fr", "synonyms_en"),
    Pole: SEARCHED_NAMES,
    Region: SEARCHED_NAMES,
}


def _enterprise_ids(instance) -> list[int]:
    if isinstance(instance, Sector):
        links = EnterpriseSector.objects.filter(sector=instance)
        return list(links.values_list("enterprise_id", flat=True))
    lookup = "pole" if isinstance(instance, Pole) else "region"
    return list(Enterprise.objects.filter(**{lookup: instance}).values_list("id", flat=True))


def _names(instance) -> tuple:
    # An empty translation is NULL or "" depending on who wrote it: the same text.
    return tuple(getattr(instance, name) or "" for name in SEARCHED_FIELDS[type(instance)])


@receiver(pre_save, sender=Sector)
@receiver(pre_save, sender=Pole)
@receiver(pre_save, sender=Region)
def remember_searched_names(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None:
        return
    before = sender.objects.filter(pk=instance.pk).values_list(*SEARCHED_FIELDS[sender]).first()
    instance._searched_names_before = before and tuple(value or "" for value in before)


@receiver(post_save, sender=Sector)
@receiver(post_save, sender=Pole)
@receiver(post_save, sender=Region)
def refresh_after_rename(sender, instance, created, raw=False, **kwargs):
    if raw or created:
        return
    if getattr(instance, "_searched_names_before", None) != _names(instance):
        ids = _enterprise_ids(instance)
        refresh_search_vectors(ids=ids)
        # The API shows these names in each enterprise: partners syncing on updated_at
        # must fetch them again.
        touch_enterprises(ids=ids)
