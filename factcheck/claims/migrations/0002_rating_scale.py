"""Seed the rating scale. It is data: labels, definitions and colours can be edited later."""

from django.db import migrations

SCALE = [
    {
        "key": "true",
        "value": 5,
        "label_id": "Benar",
        "label_en": "True",
        "definition_id": "Klaim akurat dan tidak ada hal penting yang terlewat.",
        "definition_en": "The claim is accurate and nothing significant is missing.",
        "colour": "#1a7f37",
    },
    {
        "key": "mostly-true",
        "value": 4,
        "label_id": "Sebagian besar benar",
        "label_en": "Mostly true",
        "definition_id": "Klaim akurat, tetapi perlu penjelasan atau ada detail kecil yang keliru.",
        "definition_en": "The claim is accurate but needs clarification or gets a minor detail wrong.",
        "colour": "#4d7c0f",
    },
    {
        "key": "half-true",
        "value": 3,
        "label_id": "Sebagian benar",
        "label_en": "Half true",
        "definition_id": "Klaim benar sebagian, tetapi menghilangkan detail penting atau mengambil hal di luar konteks.",
        "definition_en": "The claim is partly accurate but leaves out important details or takes things out of context.",
        "colour": "#a16207",
    },
    {
        "key": "misleading",
        "value": 2,
        "label_id": "Menyesatkan",
        "label_en": "Misleading",
        "definition_id": "Klaim memuat unsur kebenaran, tetapi disajikan sehingga memberi kesan yang keliru.",
        "definition_en": "The claim contains an element of truth but is presented so as to give a false impression.",
        "colour": "#c2410c",
    },
    {
        "key": "false",
        "value": 1,
        "label_id": "Keliru",
        "label_en": "False",
        "definition_id": "Klaim tidak akurat menurut bukti terbaik yang tersedia.",
        "definition_en": "The claim is inaccurate according to the best available evidence.",
        "colour": "#b91c1c",
    },
    {
        "key": "unproven",
        "value": None,
        "label_id": "Tidak terbukti",
        "label_en": "Unproven",
        "definition_id": "Bukti yang tersedia tidak cukup untuk membuktikan atau membantah klaim.",
        "definition_en": "The available evidence is not enough to prove or disprove the claim.",
        "colour": "#52525b",
    },
]


def seed_scale(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for position, row in enumerate(SCALE):
        Rating.objects.update_or_create(key=row["key"], defaults={**row, "position": position})


def remove_scale(apps, schema_editor):
    apps.get_model("claims", "Rating").objects.filter(key__in=[row["key"] for row in SCALE]).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(seed_scale, remove_scale)]
