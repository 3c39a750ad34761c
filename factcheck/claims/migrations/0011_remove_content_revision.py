"""The answer cache's counter of committed changes goes: Varnish in front, purged by surrogate key after each
commit, is the answer cache now, and pages and API answers take their validators from the rows' own change
times and versions (factcheck/caching.py, factcheck/api/conditional.py)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_search_indonesian"),
    ]

    operations = [
        migrations.DeleteModel(name="ContentRevision"),
    ]
