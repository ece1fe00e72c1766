"""The two staff roles of the admin, as Django groups (created by a migration)."""

NATIONAL_TEAM_GROUP = "Équipe nationale"
POLE_STAFF_GROUP = "Personnel de pôle"
