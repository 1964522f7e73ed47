{%- extends 'nbgrader/gradebook_notebooks.tpl' -%}
{%- block breadcrumbs -%}
{{ super() }}
{% include '_guide_link.tpl' %}
{%- endblock -%}
