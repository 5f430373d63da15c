package main

import (
	"context"
	"fmt"
	"time"

	"github.com/berth-go/berth/docker/swarm"
)

// service runs a one-replica swarm service with a secret, on the in-memory
// Engine only: on a daemon that would mean joining or changing its swarm.
func (t *tour) service(ctx context.Context, ref string) (err error) {
	if !t.memory {
		fmt.Fprintln(t.out, "\n# swarm: skipped on a daemon, whose swarm the tour leaves as it is (the in-memory Engine's tour runs a service with a secret)")
		return nil
	}
	sw := swarm.New(t.cli)
	fmt.Fprintln(t.out, "\n# swarm init    # a single-node swarm inside the in-memory Engine")
	if _, err := sw.Init(ctx, swarm.InitRequest{ListenAddr: "127.0.0.1:2377"}); err != nil {
		return err
	}
	defer func() {
		if err != nil { // the last step leaves; a failed step leaves too
			_ = sw.Leave(context.WithoutCancel(ctx), swarm.Force())
		}
	}()

	name := "berth-demo-" + t.id
	t.step("printf not-a-real-secret | berth secret create --label %s=%s %s -", demoLabel, t.id, name)
	secretID, err := sw.Secrets().Create(ctx, swarm.SecretSpec{Name: name, Labels: t.labels, Data: []byte("not-a-real-secret")})
	if err != nil {
		return err
	}
	fmt.Fprintln(t.out, secretID)

	t.step("berth service create --name %s --replicas 1 --secret %s --label %s=%s %s sleep 60", name, name, demoLabel, t.id, ref)
	spec := swarm.ServiceSpec{Name: name, Labels: t.labels, Mode: swarm.ReplicatedMode(1), TaskTemplate: swarm.TaskSpec{
		ContainerSpec: &swarm.ContainerSpec{Image: ref, Args: []string{"sleep", "60"}, Labels: t.labels,
			Secrets: []swarm.SecretReference{{SecretID: secretID, SecretName: name,
				File: &swarm.FileTarget{Name: name, UID: "0", GID: "0", Mode: 0o444}}}},
	}}
	created, err := sw.Services().Create(ctx, spec)
	if err != nil {
		return err
	}
	fmt.Fprintln(t.out, created.ID)
	if _, err := sw.Services().WaitConverged(ctx, created.ID, swarm.PollInterval(50*time.Millisecond)); err != nil {
		return err
	}
	tasks, err := sw.Tasks().List(ctx, swarm.Filter("service", created.ID), swarm.Filter("desired-state", "running"))
	if err != nil {
		return err
	}
	if len(tasks) != 1 || tasks[0].Status.ContainerStatus == nil {
		return fmt.Errorf("service %s converged but has %d running tasks", name, len(tasks))
	}
	task := tasks[0]
	fmt.Fprintf(t.out, "converged: task %s.%d is %s\n", name, task.Slot, task.Status.State)

	ctr := task.Status.ContainerStatus.ContainerID
	t.step("berth cp %s:/run/secrets/%s -    # the task's container, which the secret reached", shortID(ctr), name)
	if err := t.printFile(ctx, ctr, "/run/secrets/"+name); err != nil {
		return err
	}
	fmt.Fprintln(t.out)

	t.step("berth service rm %s && berth secret rm %s", name, name)
	if err := sw.Services().Remove(ctx, created.ID); err != nil {
		return err
	}
	if err := sw.Secrets().Remove(ctx, secretID); err != nil {
		return err
	}
	fmt.Fprintf(t.out, "%s\n%s\n", name, name)
	fmt.Fprintln(t.out, "\n# swarm leave --force")
	return sw.Leave(ctx, swarm.Force())
}
