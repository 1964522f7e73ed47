"""CSS shared by the grader's guide and feedback: readable on a 390 px phone (wrapped lines, max-width)."""

PHONE_CSS = """
body { margin: 0 auto; max-width: 860px; padding: 0.8em; font-size: 15px; line-height: 1.6;
       font-family: "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       overflow-wrap: anywhere; word-break: break-word; }
pre, code, .output_text pre, div.output_area pre { white-space: pre-wrap !important;
       overflow-wrap: anywhere; word-break: break-word; }
div#notebook-container, div.container { width: auto !important; max-width: 100%; padding: 0; box-shadow: none; }
div.prompt, div.input_prompt, div.output_prompt { display: none !important; }
div.inner_cell, div.output_subarea { max-width: 100%; overflow-x: auto; }
img { max-width: 100%; height: auto; }
div.nbgrader_cell .panel-heading { height: auto !important; overflow: hidden; }
table { border-collapse: collapse; max-width: 100%; }
table.kefu td, table.kefu th { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
.kefu-summary { border: 2px solid #888; border-radius: 6px; padding: 0.6em 0.9em; margin: 0.5em 0 1em; }
.kefu-pass { border-color: #2e7d32; } .kefu-fail { border-color: #c62828; }
.kefu-verdict { font-size: 1.25em; font-weight: bold; }
.kefu-ok { color: #2e7d32; } .kefu-bad { color: #c62828; } .kefu-part { color: #b26a00; }
.kefu-why { color: #333; margin: 0.2em 0 0.6em 0; }
section.guide-item { border-top: 1px solid #ccc; padding: 0.5em 0; }
"""
