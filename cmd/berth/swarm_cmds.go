package main

// swarmCommands returns the swarm subcommands.
func swarmCommands() map[string]command {
	return map[string]command{}
}
