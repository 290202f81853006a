"""User code: the functions symdiff differentiates in the tests, as a user would write
them (some on purpose with what symdiff refuses), and the tables of cases that say
which parameters to differentiate and where."""
