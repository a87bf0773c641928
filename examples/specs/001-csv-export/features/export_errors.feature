Feature: Export errors

  Scenario: Refuse a month that is still open
    Given the current month, which is still open
    When I export that month
    Then I am told to close the month first
    And no file is written
