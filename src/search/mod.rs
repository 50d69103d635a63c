//! Placeholder until the search module lands.
