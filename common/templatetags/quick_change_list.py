"""`{% quick_result_list cl %}` and `{% quick_list_filter cl spec %}`: Django's
`{% result_list cl %}` and `{% admin_list_filter cl spec %}`, the rows written and the
filters kept by common.admin_change_list (same templates, same markup, a fraction of the
time)."""

from django import template
from django.contrib.admin.templatetags.base import InclusionAdminNode

from common.admin_change_list import list_filter, result_list

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
