"""Volume data and the page benchmark (issue 8): how Tværs behaves at a police
district's scale. Fictitious data only; never installed against real case data."""
