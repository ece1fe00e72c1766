"""The schema's filter values that are fixed sets, taken from the reference data.

`sector`, `pole` and `region` take a slug or a code from a list the Chantier keeps
in `chantier/reference/`; the schema gives them as enums, so that a generated client
offers them and a schema-valid request is not a 400. Read from the files rather than
the database, so that the schema is the same document on every deployment and does
not change with what a test or an admin wrote.
"""

import functools
import tomllib

from chantier.services import REFERENCE_DIR

# The filter parameter, and the file, table and key of its values.
REFERENCE_FILTERS = {
    "sector": ("sectors.toml", "sector", "slug"),
    "pole": ("poles.toml", "pole", "slug"),
    "region": ("regions.toml", "region", "code"),
}


@functools.cache
def reference_values(parameter: str) -> tuple[str, ...]:
    filename, table, key = REFERENCE_FILTERS[parameter]
    rows = tomllib.loads((REFERENCE_DIR / filename).read_text())[table]
    return tuple(sorted(row[key] for row in rows))


def reference_enums(result, generator, request, public):
    """Post-processing hook: the enum of each reference filter, wherever it is a parameter."""
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query" or parameter["name"] not in REFERENCE_FILTERS:
                    continue
                schema = parameter["schema"]
                target = schema["items"] if schema.get("type") == "array" else schema
                target.pop("title", None)
                # An empty value is no filter (`?sector=`), as a form's "every value" sends.
                target["enum"] = [*reference_values(parameter["name"]), ""]
    return result
