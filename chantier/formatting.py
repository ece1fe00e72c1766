"""How a published figure reads in the active language: "$47.8 billion", "47,8 milliards $"."""

from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from chantier.enums import FigureQualifier, FigureUnit


def _number(value: Decimal) -> str:
    """A plain number, or a number of millions or billions spelled out."""
    if value >= 1_000_000_000:
        scaled = value / 1_000_000_000
        text = number_format(scaled.normalize(), _decimals(scaled), use_l10n=True)
        # Translators: a number of billions, e.g. "47.8 billion"
        return ngettext("%(value)s billion", "%(value)s billion", int(scaled)) % {"value": text}
    if value >= 1_000_000:
        scaled = value / 1_000_000
        text = number_format(scaled.normalize(), _decimals(scaled), use_l10n=True)
        # Translators: a number of millions, e.g. "13 million"
        return ngettext("%(value)s million", "%(value)s million", int(scaled)) % {"value": text}
    return number_format(value, _decimals(value), use_l10n=True, force_grouping=True)


def _decimals(value: Decimal) -> int:
    return 0 if value == value.to_integral_value() else 1


def figure_display(*, value: Decimal, unit: str, qualifier: str) -> str:
    text = _number(value)
    if unit == FigureUnit.DOLLARS:
        # Translators: an amount in dollars; French puts the sign after: "47,8 milliards $"
        text = gettext("$%(amount)s") % {"amount": text}
    elif unit == FigureUnit.PERCENT:
        # Translators: a percentage; French puts a space before the sign
        text = gettext("%(value)s%%") % {"value": text}
    if qualifier == FigureQualifier.MORE_THAN:
        return gettext("more than %(value)s") % {"value": text}
    if qualifier == FigureQualifier.ABOUT:
        return gettext("about %(value)s") % {"value": text}
    return text
