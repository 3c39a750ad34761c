"""Forms shared by the admin import page and the import_article command."""

from django import forms

from .models import Article, HttpURLFormField, Language


class ArticleMetadataForm(forms.Form):
    """What an editor says about an article besides its text."""

    headline = forms.CharField(
        max_length=Article._meta.get_field("headline").max_length,
        required=False,
        help_text="Left empty, the first sentence of the text is used.",
    )
    outlet = forms.CharField(max_length=Article._meta.get_field("outlet").max_length, required=False)
    author = forms.CharField(max_length=Article._meta.get_field("author").max_length, required=False)
    url = HttpURLFormField(max_length=Article._meta.get_field("url").max_length, required=False)
    published_on = forms.DateField(required=False, input_formats=["%Y-%m-%d"], help_text="YYYY-MM-DD")
    language = forms.ChoiceField(choices=Language.choices, initial=Language.INDONESIAN)
