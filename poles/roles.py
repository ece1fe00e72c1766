"""The two staff roles of the admin, as Django groups, and what each may do.

A migration creates the groups (poles 0002) and a post_migrate handler keeps their
permissions exactly these, also for models added later.
"""

NATIONAL_TEAM_GROUP = "Équipe nationale"
POLE_STAFF_GROUP = "Personnel de pôle"

# Every permission of these apps: the national team keeps every record true.
NATIONAL_TEAM_APPS = ["chantier", "poles", "entreprises", "evenements", "contributions"]
# And the background jobs (read-only in the admin), to see which failed and why.
NATIONAL_TEAM_READ_APPS = ["procrastinate"]
# And the staff accounts: it creates them, puts them in a group and (pole memberships,
# above) in their poles, deactivates them, and unlocks one locked out by django-axes.
# It deletes no account (its changes stay in the history) and cannot make a superuser,
# grant single permissions or change a superuser's account (poles.admin.StaffAccountAdmin);
# superusers are made with `manage.py createsuperuser`.
NATIONAL_TEAM_EXTRA_PERMISSIONS = [
    ("auth", "view_user"),
    ("auth", "add_user"),
    ("auth", "change_user"),
    ("auth", "view_group"),
    ("axes", "view_accessattempt"),
    ("axes", "delete_accessattempt"),
]

# The enterprises of their own poles (the admin scopes them); reference data read-only.
POLE_STAFF_PERMISSIONS = [
    ("entreprises", "view_enterprise"),
    ("entreprises", "add_enterprise"),
    ("entreprises", "change_enterprise"),
    ("entreprises", "delete_enterprise"),  # deleting archives
    ("entreprises", "view_enterprisesector"),
    ("entreprises", "add_enterprisesector"),
    ("entreprises", "change_enterprisesector"),
    ("entreprises", "delete_enterprisesector"),
    ("entreprises", "view_sector"),
    ("poles", "view_pole"),
    ("poles", "view_region"),
    ("evenements", "view_event"),
    ("evenements", "view_organization"),
    ("chantier", "view_keyfigure"),
    # The public's reports and proposals for their poles, which they accept or reject.
    ("contributions", "view_contribution"),
    ("contributions", "change_contribution"),
]
