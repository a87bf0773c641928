# SYNTAX TEST "source.gherkin" "Chinese (simplified): keywords with no space after them"
# language: zh-CN
#           ^^^^^ constant.other.language-code.gherkin
@导出
# <--- entity.name.tag.gherkin
功能: 导出发票
# <--- keyword.control.feature.gherkin
#   ^^^^ entity.name.section.feature.gherkin
  背景:
# ^^^ keyword.control.background.gherkin
    假如有两张发票
#   ^^ meta.step.gherkin keyword.other.step.gherkin
#     ^^^^^ meta.step.gherkin - keyword.other.step.gherkin
  规则: 按月导出
# ^^^ keyword.control.rule.gherkin
#     ^^^^ entity.name.section.rule.gherkin
  场景: 导出一个月
# ^^^ keyword.control.scenario.gherkin
#     ^^^^^ entity.name.section.scenario.gherkin
    当导出<月份>
#   ^ keyword.other.step.gherkin
#    ^^ - keyword.other.step.gherkin variable.parameter.placeholder.gherkin
#      ^^^^ variable.parameter.placeholder.gherkin
    那么文件包含:
#   ^^ keyword.other.step.gherkin
      | 编号 | 金额 |
#     ^ punctuation.separator.table.gherkin
#       ^^ string.unquoted.cell.gherkin
#            ^^ string.unquoted.cell.gherkin
    而且日志写着:
#   ^^ keyword.other.step.gherkin
      """
      功能: 在文档字符串里不是关键字
#     ^^^^^^^^^^^^^^^^^ string.quoted.docstring.gherkin - keyword.control.feature.gherkin
      """
    但是没有别的
#   ^^ keyword.other.step.gherkin
  场景大纲: 导出<月份>
# ^^^^^ keyword.control.scenario.outline.gherkin
#         ^^^^ variable.parameter.placeholder.gherkin
    例子:
#   ^^^ keyword.control.examples.gherkin
      | 月份 |
      | 一月 |
#       ^^ string.unquoted.cell.gherkin
  Feature: 在中文文档里不是关键字
# ^^^^^^^^ - keyword.control.feature.gherkin
