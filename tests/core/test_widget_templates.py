"""templates/django/forms/widgets/: Django's select, input and textarea templates
with their includes written in (docs/performance.md). Each renders exactly what
Django's own templates render, for every kind of value and attribute."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

CHOICES = [
    ("", "—"),
    ("a", "Æble & <pære>"),
    ("Gruppe", [("b", "Bær"), ("c", "Citron")]),
    (3, "Tre"),
]

WIDGETS = [
    forms.Select(choices=CHOICES),
    forms.Select(choices=CHOICES, attrs={"required": True, "disabled": False}),
    forms.SelectMultiple(choices=CHOICES, attrs={"aria-describedby": "x_error"}),
    forms.NullBooleanSelect(),
    forms.TextInput(attrs={"maxlength": 20, "autofocus": True, "hidden": False}),
    forms.NumberInput(),
    forms.EmailInput(attrs={"class": "wide"}),
    forms.DateInput(attrs={"type": "date"}),
    forms.PasswordInput(render_value=True),
    forms.HiddenInput(),
    forms.CheckboxInput(),
    forms.Textarea(attrs={"rows": 3}),
    forms.CheckboxSelectMultiple(choices=CHOICES),
    forms.RadioSelect(choices=CHOICES),
]

VALUES = [None, "", "a", ["a", "c"], 3, "<script>", datetime.date(2026, 11, 23), True]


@pytest.mark.parametrize("widget", WIDGETS, ids=lambda w: type(w).__name__)
def test_our_widget_templates_render_what_django_s_own_do(widget):
    ours = get_default_renderer()
    assert not isinstance(ours, DjangoTemplates), "FORM_RENDERER is not in use"
    django_s = DjangoTemplates()
    compared = 0
    for value in VALUES:
        attrs = {"id": "id_field"}
        try:
            expected = widget.render("field", value, attrs=attrs, renderer=django_s)
        except TypeError:  # a value this widget cannot take (a list for a boolean)
            continue
        assert widget.render("field", value, attrs=attrs, renderer=ours) == expected
        compared += 1
    assert compared >= len(VALUES) - 1


def test_the_select_template_is_ours():
    template = get_default_renderer().get_template("django/forms/widgets/select.html")
    assert "written in" in template.template.source
