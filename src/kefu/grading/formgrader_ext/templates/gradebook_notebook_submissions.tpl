{%- extends 'nbgrader/gradebook_notebook_submissions.tpl' -%}
{%- block breadcrumbs -%}
{{ super() }}
{% include '_guide_link.tpl' %}
{%- endblock -%}
