# SYNTAX TEST "source.gherkin" "English, the language of a document without a header"
# A comment before the feature
# <- comment.line.number-sign.gherkin punctuation.definition.comment.gherkin
#^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.gherkin
@billing @slow-export #a comment after the tags
# <- entity.name.tag.gherkin punctuation.definition.tag.gherkin
#^^^^^^^ entity.name.tag.gherkin
#       ^ - entity.name.tag.gherkin
#        ^^^^^^^^^^^^ entity.name.tag.gherkin
#                     ^^^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.number-sign.gherkin - entity.name.tag.gherkin
Feature: Export invoices as CSV
# <-------- keyword.control.feature.gherkin
#        ^^^^^^^^^^^^^^^^^^^^^^ entity.name.section.feature.gherkin - keyword.control.feature.gherkin
  Angenommen is German for Given: plain text in an English document
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.step.gherkin meta.step.gherkin keyword.control.feature.gherkin

  Background:
# ^^^^^^^^^^^ keyword.control.background.gherkin
    Given a workspace with <count> invoices
#   ^^^^^ meta.step.gherkin keyword.other.step.gherkin
#        ^^^^^^^^^^^^^^^^^^ meta.step.gherkin - keyword.other.step.gherkin
#                          ^^^^^^^ meta.step.gherkin variable.parameter.placeholder.gherkin
#                                 ^^^^^^^^^ - variable.parameter.placeholder.gherkin
    Givenchy is a word, not the keyword Given
#   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.step.gherkin

  Rule: Months with invoices
# ^^^^^ keyword.control.rule.gherkin
#       ^^^^^^^^^^^^^^^^^^^^ entity.name.section.rule.gherkin

    @smoke
#   ^^^^^^ entity.name.tag.gherkin
    Scenario: Export a month with invoices
#   ^^^^^^^^^ keyword.control.scenario.gherkin
#             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.section.scenario.gherkin
      When I export "2024-01"
#     ^^^^ keyword.other.step.gherkin
      Then the file has these rows:
#     ^^^^ keyword.other.step.gherkin
#          ^^^^^^^^^^^^^^^^^^^^^^^ - keyword.control.scenario.gherkin
        | number | amount | note      |
#       ^ meta.table.row.gherkin punctuation.separator.table.gherkin
#         ^^^^^^ meta.table.row.gherkin string.unquoted.cell.gherkin
#               ^ - string.unquoted.cell.gherkin
#                ^ punctuation.separator.table.gherkin
#                         ^ punctuation.separator.table.gherkin
#                           ^^^^ string.unquoted.cell.gherkin
#                               ^^^^^^ - string.unquoted.cell.gherkin
#                                     ^ punctuation.separator.table.gherkin
        | 1      | 10.00  | a \| b    |
#                           ^^ string.unquoted.cell.gherkin - constant.character.escape.gherkin
#                             ^^ string.unquoted.cell.gherkin constant.character.escape.gherkin - punctuation.separator.table.gherkin
#                               ^^ string.unquoted.cell.gherkin - constant.character.escape.gherkin
      And the log reads:
#     ^^^ keyword.other.step.gherkin
        """text/plain
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.begin.gherkin
#          ^^^^^^^^^^ string.quoted.docstring.gherkin entity.name.type.media-type.gherkin
        Exported <count> invoices
#       ^^^^^^^^^ string.quoted.docstring.gherkin
#                ^^^^^^^ string.quoted.docstring.gherkin variable.parameter.placeholder.gherkin
        Given | # are text inside a doc string
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.docstring.gherkin - keyword.other.step.gherkin punctuation.separator.table.gherkin comment.line.number-sign.gherkin
        \"\"\" is an escaped delimiter
#       ^^^^^^ string.quoted.docstring.gherkin constant.character.escape.gherkin
        """
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.end.gherkin
      But nothing else is written
#     ^^^ keyword.other.step.gherkin - string.quoted.docstring.gherkin
      * a bullet step
#     ^ keyword.other.step.gherkin
#      ^^^^^^^^^^^^^^ - keyword.other.step.gherkin

    Example: The other name of a scenario
#   ^^^^^^^^ keyword.control.scenario.gherkin
      Given a request body:
        ```json
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.begin.gherkin
#          ^^^^ string.quoted.docstring.gherkin entity.name.type.media-type.gherkin
        { "month": "2024-01", "x": """ }
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.docstring.gherkin - punctuation.definition.string.end.gherkin
        ```
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.end.gherkin
      Then x <= 5 and y >= 3 hold
#            ^^^^^^^^^^^^^^^^ - variable.parameter.placeholder.gherkin

    Scenario Outline: Export <month>
#   ^^^^^^^^^^^^^^^^^ keyword.control.scenario.outline.gherkin
#                     ^^^^^^^ entity.name.section.scenario.outline.gherkin
#                            ^^^^^^^ entity.name.section.scenario.outline.gherkin variable.parameter.placeholder.gherkin
      Given the month <month>
#                     ^^^^^^^ variable.parameter.placeholder.gherkin
      Then it has <count> invoices
#                 ^^^^^^^ variable.parameter.placeholder.gherkin

      Examples: Months of <year>
#     ^^^^^^^^^ keyword.control.examples.gherkin
#               ^^^^^^^^^^^^^^^^ entity.name.section.examples.gherkin
#                         ^^^^^^ variable.parameter.placeholder.gherkin
        | month   | count |
#         ^^^^^ string.unquoted.cell.gherkin
        | 2024-01 | <n>   |
#         ^^^^^^^ string.unquoted.cell.gherkin
#                   ^^^ string.unquoted.cell.gherkin variable.parameter.placeholder.gherkin

    Scenario Template: The other name of an outline
#   ^^^^^^^^^^^^^^^^^^ keyword.control.scenario.outline.gherkin
      Scenarios:
#     ^^^^^^^^^^ keyword.control.examples.gherkin
