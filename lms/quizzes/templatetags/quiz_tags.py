"""``{% load quiz_tags %}``: ``chosen|picked:question.pk`` gives the choice ids picked."""

from django import template

register = template.Library()


@register.filter
def picked(chosen: dict, question_id: int) -> set:
    return chosen.get(question_id, set())
