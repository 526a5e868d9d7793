// The read side: projections that follow the event log into a read store, and the queries over it.
export {};
