"""One look for every form: ``{{ form }}`` renders through shared/form.html (FORM_RENDERER).

Django renders ``{{ form }}`` with the renderer's ``form_template_name``. Pointing it at the
shared template gives every project the same labels, required marks and error messages
(``small.error`` under the field, styled in shared/css/app.css) without each template
laying out its fields. A template that places fields by hand uses ``{{ field.errors }}``,
Django's ``ul.errorlist``, which app.css styles the same way.
"""

from django.forms.renderers import DjangoTemplates


class FormRenderer(DjangoTemplates):
    form_template_name = "shared/form.html"
