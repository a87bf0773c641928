# SYNTAX TEST "source.gherkin" "Japanese: keywords with no space after them, and the longest keyword wins"
# language: ja
#           ^^ constant.other.language-code.gherkin
機能: 請求書の書き出し
# <--- keyword.control.feature.gherkin
#   ^^^^^^^^ entity.name.section.feature.gherkin
  シナリオ: 一か月分
# ^^^^^ keyword.control.scenario.gherkin
    前提請求書が二枚ある
#   ^^ keyword.other.step.gherkin
#     ^^^^^^^^ - keyword.other.step.gherkin
    もし<月>を書き出す
#   ^^ keyword.other.step.gherkin
#     ^^^ variable.parameter.placeholder.gherkin
    ならばファイルができる
#   ^^^ keyword.other.step.gherkin
    かつ行が二つある
#   ^^ keyword.other.step.gherkin
    しかし他には何もない
#   ^^^ keyword.other.step.gherkin
  シナリオテンプレート: <月>を書き出す
# ^^^^^^^^^^^ keyword.control.scenario.outline.gherkin - keyword.control.scenario.gherkin
#             ^^^ variable.parameter.placeholder.gherkin
  シナリオテンプレ: 短い名前
# ^^^^^^^^^ keyword.control.scenario.outline.gherkin
    サンプル:
#   ^^^^^ keyword.control.examples.gherkin
      | 月 |
#       ^ string.unquoted.cell.gherkin
