"""`{% quick_result_list cl %}`, `{% quick_list_filter cl spec %}`, `{% quick_admin_actions %}`,
`{% quick_pagination cl %}` and `{% quick_search_form cl %}`: Django's `{% result_list cl %}`,
`{% admin_list_filter cl spec %}`, `{% admin_actions %}`, `{% pagination cl %}` and
`{% search_form cl %}`, the rows written and the rest kept by common.admin_change_list
(same templates, same markup, a fraction of the time)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from common.admin_change_list import KeptActionsNode, KeptListNode, list_filter, result_list

register = template.Library()


@register.tag(name="quick_result_list")
def quick_result_list_tag(parser, token):
    return InclusionAdminNode(
        parser,
        token,
        func=result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )


register.simple_tag(list_filter, name="quick_list_filter")


@register.tag(name="quick_admin_actions")
def quick_admin_actions_tag(parser, token):
    return KeptActionsNode(parser, token)


@register.tag(name="quick_pagination")
def quick_pagination_tag(parser, token):
    return KeptListNode(parser, token, kind="pagination")


@register.tag(name="quick_search_form")
def quick_search_form_tag(parser, token):
    return KeptListNode(parser, token, kind="search_form")
