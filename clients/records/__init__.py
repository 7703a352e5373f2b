"""Staff screens of a client's records: leads, personas, contracts, holidays."""
