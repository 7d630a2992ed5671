"""Foundation: config, store, records, vocabulary, locks, crash points; imports no stage or app."""
