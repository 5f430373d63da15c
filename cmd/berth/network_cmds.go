package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/berth-go/berth/docker/network"
)

// networkCommands returns the network and volume commands.
func networkCommands() map[string]command {
	return map[string]command{
		"network": {"manage networks (ls, create, inspect, rm, prune, connect, disconnect)", runNetwork},
		"volume":  {"manage volumes (ls, create, inspect, rm, prune)", runVolume},
	}
}

func networkSubs() map[string]subcommand {
	return map[string]subcommand{
		"ls":         {"[--filter KEY=VALUE]... [-q]", runNetworkList},
		"create":     {"[--driver D] [--internal] [--attachable] [--subnet CIDR --ip-range CIDR --gateway IP] [--ipv6] [--label K=V]... [--opt K=V]... NAME", runNetworkCreate},
		"inspect":    {"NETWORK...", runNetworkInspect},
		"rm":         {"NETWORK...", runNetworkRemove},
		"prune":      {"[--filter KEY=VALUE]...", runNetworkPrune},
		"connect":    {"[--alias A]... [--ip IP] [--ip6 IP] [--link C:A]... [--driver-opt K=V]... NETWORK CONTAINER", runNetworkConnect},
		"disconnect": {"[--force] NETWORK CONTAINER", runNetworkDisconnect},
	}
}

func runNetwork(ctx context.Context, e *env, args []string) error {
	return dispatch(ctx, e, "network", networkSubs(), args)
}

func runNetworkList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network ls", networkSubs()["ls"].usage)
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): driver, id, label, name, scope, type, dangling")
	quiet := fs.Bool("q", false, "print only ids")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 0, 0); err != nil {
		return err
	}
	f, err := parseFilters(filters)
	if err != nil {
		return err
	}
	list, err := network.New(e.cli).List(ctx, network.Filters(f))
	if err != nil {
		return err
	}
	if *quiet {
		for _, n := range list {
			fmt.Fprintln(e.stdout, n.ID)
		}
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 3, ' ', 0)
	fmt.Fprintln(tw, "NETWORK ID\tNAME\tDRIVER\tSCOPE")
	for _, n := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", shortID(n.ID), n.Name, n.Driver, n.Scope)
	}
	return tw.Flush()
}

func runNetworkCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network create", networkSubs()["create"].usage)
	var req network.CreateRequest
	labels, opts := kvFlag{}, kvFlag{}
	fs.StringVar(&req.Driver, "driver", "", "network driver (default bridge)")
	fs.StringVar(&req.Scope, "scope", "", "scope: local, swarm or global")
	fs.BoolVar(&req.Internal, "internal", false, "no route to the outside")
	fs.BoolVar(&req.Attachable, "attachable", false, "standalone containers may join (swarm)")
	subnet := fs.String("subnet", "", "subnet in CIDR form")
	ipRange := fs.String("ip-range", "", "range within the subnet for dynamic addresses")
	gateway := fs.String("gateway", "", "gateway address")
	ipv6 := fs.Bool("ipv6", false, "enable IPv6")
	fs.Var(labels, "label", "label KEY=VALUE (repeatable)")
	fs.Var(opts, "opt", "driver option KEY=VALUE (repeatable)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, 1); err != nil {
		return err
	}
	if *subnet != "" || *ipRange != "" || *gateway != "" {
		req.IPAM = &network.IPAM{Config: []network.IPAMConfig{{Subnet: *subnet, IPRange: *ipRange, Gateway: *gateway}}}
	}
	if *ipv6 {
		req.EnableIPv6 = ipv6
	}
	req.Labels, req.Options = labels.orNil(), opts.orNil()
	created, err := network.New(e.cli).Create(ctx, fs.Arg(0), req)
	if err != nil {
		return err
	}
	if created.Warning != "" {
		fmt.Fprintln(e.stderr, "warning:", created.Warning)
	}
	fmt.Fprintln(e.stdout, created.ID)
	return nil
}

func runNetworkInspect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network inspect", networkSubs()["inspect"].usage)
	verbose := fs.Bool("verbose", false, "services and tasks on every node (swarm)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	var opts []network.InspectOption
	if *verbose {
		opts = append(opts, network.Verbose())
	}
	nets := network.New(e.cli)
	out := make([]network.Details, 0, fs.NArg())
	for _, id := range fs.Args() {
		d, err := nets.Inspect(ctx, id, opts...)
		if err != nil {
			return err
		}
		out = append(out, d)
	}
	return printJSON(e.stdout, out)
}

func runNetworkRemove(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network rm", networkSubs()["rm"].usage)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 1, -1); err != nil {
		return err
	}
	nets := network.New(e.cli)
	return forEachArg(e, fs.Args(), func(id string) error { return nets.Remove(ctx, id) })
}

func runNetworkPrune(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network prune", networkSubs()["prune"].usage)
	var filters listFlag
	fs.Var(&filters, "filter", "filter KEY=VALUE (repeatable): label, label!, until")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 0, 0); err != nil {
		return err
	}
	f, err := parseFilters(filters)
	if err != nil {
		return err
	}
	report, err := network.New(e.cli).Prune(ctx, network.Filters(f))
	if err != nil {
		return err
	}
	if len(report.NetworksDeleted) > 0 {
		fmt.Fprintln(e.stdout, "Deleted Networks:")
	}
	for _, n := range report.NetworksDeleted {
		fmt.Fprintln(e.stdout, n)
	}
	return nil
}

func runNetworkConnect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network connect", networkSubs()["connect"].usage)
	var aliases, links listFlag
	driverOpts := kvFlag{}
	fs.Var(&aliases, "alias", "DNS alias on the network (repeatable)")
	fs.Var(&links, "link", "legacy link CONTAINER:ALIAS (repeatable)")
	fs.Var(driverOpts, "driver-opt", "endpoint driver option KEY=VALUE (repeatable)")
	ip := fs.String("ip", "", "fixed IPv4 address")
	ip6 := fs.String("ip6", "", "fixed IPv6 address")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 2, 2); err != nil {
		return err
	}
	var ep *network.EndpointSettings
	if len(aliases) > 0 || len(links) > 0 || len(driverOpts) > 0 || *ip != "" || *ip6 != "" {
		ep = &network.EndpointSettings{Aliases: aliases, Links: links, DriverOpts: driverOpts.orNil()}
		if *ip != "" || *ip6 != "" {
			ep.IPAMConfig = &network.EndpointIPAMConfig{IPv4Address: *ip, IPv6Address: *ip6}
		}
	}
	return network.New(e.cli).Connect(ctx, fs.Arg(0), fs.Arg(1), ep)
}

func runNetworkDisconnect(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "network disconnect", networkSubs()["disconnect"].usage)
	force := fs.Bool("force", false, "disconnect even if the daemon objects")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := checkArgs(fs, 2, 2); err != nil {
		return err
	}
	var opts []network.DisconnectOption
	if *force {
		opts = append(opts, network.Force())
	}
	return network.New(e.cli).Disconnect(ctx, fs.Arg(0), fs.Arg(1), opts...)
}
