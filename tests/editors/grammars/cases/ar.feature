# SYNTAX TEST "source.gherkin" "Arabic: a right-to-left language"
# language: ar
#           ^^ constant.other.language-code.gherkin
@تصدير
# <------ entity.name.tag.gherkin
خاصية: تصدير الفواتير
# <------ keyword.control.feature.gherkin
#      ^^^^^^^^^^^^^^ entity.name.section.feature.gherkin
  الخلفية:
# ^^^^^^^^ keyword.control.background.gherkin
    بفرض وجود فاتورتين
#   ^^^^ meta.step.gherkin keyword.other.step.gherkin
#       ^^^^^^^^^^^^^^ meta.step.gherkin - keyword.other.step.gherkin
  سيناريو: تصدير شهر
# ^^^^^^^^ keyword.control.scenario.gherkin
#          ^^^^^^^^^ entity.name.section.scenario.gherkin
    عندما أصدر <الشهر>
#   ^^^^^ keyword.other.step.gherkin
#              ^^^^^^^ variable.parameter.placeholder.gherkin
    اذاً يحتوي الملف على:
#   ^^^^ keyword.other.step.gherkin
      | الرقم | المبلغ |
#     ^ punctuation.separator.table.gherkin
#       ^^^^^ string.unquoted.cell.gherkin
#               ^^^^^^ string.unquoted.cell.gherkin
    و السجل يقول:
#   ^ keyword.other.step.gherkin
#    ^^^^^^^^^^^^ - keyword.other.step.gherkin
      """
      خاصية: ليست كلمة مفتاحية هنا
#     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.docstring.gherkin - keyword.control.feature.gherkin
      """
    لكن لا شيء آخر
#   ^^^ keyword.other.step.gherkin
  سيناريو مخطط: تصدير <الشهر>
# ^^^^^^^^^^^^^ keyword.control.scenario.outline.gherkin
#                     ^^^^^^^ variable.parameter.placeholder.gherkin
    امثلة:
#   ^^^^^^ keyword.control.examples.gherkin
      | الشهر |
      | يناير |
#       ^^^^^ string.unquoted.cell.gherkin
