"""The admin's history as a person reads it: a choice by its label, yes or no, an empty
value as a dash, never "None" or a code such as "draft"."""

from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

EMPTY = "—"


class ReadableHistoryHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "" or value == []:
            return EMPTY
        if isinstance(value, bool):
            return _("yes") if value else _("no")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        value = super().prepare_delta_change_value(change, value)
        if isinstance(value, list):
            return ", ".join(str(item) for item in value) or EMPTY
        return value

    def context_for_delta_changes(self, delta):
        # An empty text that was None before is no change a person would see.
        return [
            change
            for change in super().context_for_delta_changes(delta)
            if change["old"] != change["new"]
        ]


class ReadableHistoryAdmin(SimpleHistoryAdmin):
    def get_historical_record_context_helper(self, request, historical_record):
        return ReadableHistoryHelper(self.model, historical_record)
