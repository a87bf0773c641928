# SYNTAX TEST "source.gherkin" "French: a header switches the keywords"
# Un commentaire avant l'en-tête
# <- comment.line.number-sign.gherkin
# language: fr
# <- meta.directive.language.gherkin punctuation.definition.directive.gherkin - comment.line.number-sign.gherkin
# ^^^^^^^^ meta.directive.language.gherkin keyword.other.language.gherkin
#         ^ meta.directive.language.gherkin punctuation.separator.key-value.gherkin
#           ^^ meta.directive.language.gherkin constant.other.language-code.gherkin
@facturation
# <------------ entity.name.tag.gherkin
Fonctionnalité: Exporter les factures
# <--------------- keyword.control.feature.gherkin
#               ^^^^^^^^^^^^^^^^^^^^^ entity.name.section.feature.gherkin
  Feature: is no keyword in French, nor is Given
# ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ - keyword.control.feature.gherkin keyword.other.step.gherkin
  Given a plain line of description
# ^^^^^ - keyword.other.step.gherkin

  Contexte:
# ^^^^^^^^^ keyword.control.background.gherkin
    Soit un espace de travail
#   ^^^^ meta.step.gherkin keyword.other.step.gherkin
#       ^^^^^^^^^^^^^^^^^^^^^ meta.step.gherkin - keyword.other.step.gherkin

  Règle: Les mois avec des factures
# ^^^^^^ keyword.control.rule.gherkin
#        ^^^^^^^^^^^^^^^^^^^^^^^^^^ entity.name.section.rule.gherkin

    Scénario: Exporter un mois
#   ^^^^^^^^^ keyword.control.scenario.gherkin
#             ^^^^^^^^^^^^^^^^ entity.name.section.scenario.gherkin
      Étant donné qu'il existe deux factures
#     ^^^^^^^^^^^^^^^ keyword.other.step.gherkin
#                    ^^^^^^^^^^^^^^^^^^^^^^^ - keyword.other.step.gherkin
      Lorsqu'on exporte le mois
#     ^^^^^^^ keyword.other.step.gherkin
#            ^^ - keyword.other.step.gherkin
      Alors le fichier contient :
#     ^^^^^ keyword.other.step.gherkin
        | numéro | montant |
#       ^ punctuation.separator.table.gherkin
#         ^^^^^^ string.unquoted.cell.gherkin
#                  ^^^^^^^ string.unquoted.cell.gherkin
        | 1      | 10,00   |
#                  ^^^^^ string.unquoted.cell.gherkin
      Et que le journal indique :
#     ^^^^^^ keyword.other.step.gherkin
        """
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.begin.gherkin
        Soit n'est pas un mot-clé ici
#       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.docstring.gherkin - keyword.other.step.gherkin
        """
#       ^^^ string.quoted.docstring.gherkin punctuation.definition.string.end.gherkin
      Mais rien d'autre
#     ^^^^ keyword.other.step.gherkin
      * une étape
#     ^ keyword.other.step.gherkin

    Plan du scénario: Exporter <mois>
#   ^^^^^^^^^^^^^^^^^ keyword.control.scenario.outline.gherkin
#                              ^^^^^^ entity.name.section.scenario.outline.gherkin variable.parameter.placeholder.gherkin
      Quand on exporte <mois>
#     ^^^^^ keyword.other.step.gherkin
#                      ^^^^^^ variable.parameter.placeholder.gherkin
      Exemples:
#     ^^^^^^^^^ keyword.control.examples.gherkin
        | mois    |
        | 2024-01 |
#         ^^^^^^^ string.unquoted.cell.gherkin
