"""Translated fields in the admin under one language switch per form.

modeltranslation's tabbed admin draws a set of FR/EN tabs for each translated field (three
on the enterprise form) and a language drop-down in inlines. Here every translated field
stays a plain row; templates/admin/change_form.html draws one switch, and
static/js/admin-language-switch.js shows the rows of the language chosen.
"""

from modeltranslation.admin import TranslationAdmin


class OneSwitchTranslationAdmin(TranslationAdmin):
    class Media:
        # admin-labels.js names the controls Django's inlines and select2 leave unnamed.
        js = ("js/admin-language-switch.js", "js/admin-labels.js")
