package worker

// DefaultMaxDeliver is Config.MaxDeliver when unset: the failed deliveries
// of a message before it is dead-lettered.
const DefaultMaxDeliver = 5
