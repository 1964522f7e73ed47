{#- kefu: the grader's guide of this assignment, opened beside the grading page -#}
<p class="kefu-guide-link"><a id="kefu-guide-link" target="_blank" rel="noopener"
   href="{{ base_url }}/formgrader/kefu-guide/{{ assignment_id | urlencode | e }}">批改指南:要点、参考答案、评分档次、常见失分项</a>
   · 迟交的考试按考试规则记 0 分(成绩一栏显示 0,时间一栏注明“迟交”)</p>
