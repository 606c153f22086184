//! Memory and work stay bounded: huge pools and demands, dense conferences, the memory budget, runs stopped by a guard.
