// A backup of a Pinecone index, an index restored from it and a backup schedule, declared in Go
// through the pinecone-backup provider plugin's SDK: examples/yaml's program.
//
// Run with no arguments, this is a Pulumi program, as `pulumi up` runs it with Pulumi's Go
// language host. Run as `go run . preview|up|refresh|destroy [--stack NAME]` in this directory,
// it runs the same program inline through the Automation API, printing what the CLI prints: for
// a machine with the Pulumi CLI but no Go language host.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/pinecone-backup/pinecone-backup/sdk/go/pineconebackup"
	"github.com/pulumi/pulumi/sdk/v3/go/auto"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optdestroy"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optpreview"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optrefresh"
	"github.com/pulumi/pulumi/sdk/v3/go/auto/optup"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

const usage = `usage: go run . preview|up|refresh|destroy [--stack NAME] [--diff] [--expect-no-changes]

Runs this program on a stack of the project in the current directory, as ` + "`pulumi <command>`" + `
would. With no arguments it is the program itself, which ` + "`pulumi up`" + ` runs.`

func main() {
	if len(os.Args) == 1 {
		if os.Getenv(pulumi.EnvMonitor) == "" { // not started by the engine: say what to type
			fmt.Fprintln(os.Stderr, usage)
			os.Exit(2)
		}
		pulumi.Run(program)
		return
	}
	command, options, err := parse(os.Args[1], os.Args[2:])
	if errors.Is(err, flag.ErrHelp) {
		fmt.Println(usage)
		return
	} else if err != nil {
		fmt.Fprintf(os.Stderr, "error: %v\n\n%s\n", err, usage)
		os.Exit(2)
	}
	if err := drive(command, options); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// program declares the resources; Pulumi.yaml declares its configuration and defaults.
func program(ctx *pulumi.Context) error {
	cfg := config.New(ctx, "")
	indexName := pulumi.String(cfg.Require("indexName"))
	readyTimeout := pulumi.Float64(cfg.RequireFloat64("readyTimeout"))
	pollInterval := pulumi.Float64(cfg.RequireFloat64("pollInterval"))

	// A backup of the index. Its name is left unset: an automatic one, which proves it is this
	// stack's. A new description replaces it (backups are immutable).
	backup, err := pineconebackup.NewBackup(ctx, "before-migration", &pineconebackup.BackupArgs{
		IndexName:    indexName,
		Description:  pulumi.String(cfg.Require("description")),
		ReadyTimeout: readyTimeout,
		PollInterval: pollInterval,
	})
	if err != nil {
		return err
	}

	// A new index restored from that backup: its BackupId is unknown until the backup exists.
	restored, err := pineconebackup.NewIndexFromBackup(ctx, "restored", &pineconebackup.IndexFromBackupArgs{
		BackupId:     backup.BackupId,
		Name:         pulumi.String(cfg.Require("restoredName")),
		Tags:         pulumi.StringMap{"restored-from": indexName},
		ReadyTimeout: readyTimeout,
		PollInterval: pollInterval,
	})
	if err != nil {
		return err
	}

	// Pinecone backs the index up on its own, keeping each backup a week. A new frequency
	// changes the schedule in place.
	nightly, err := pineconebackup.NewBackupSchedule(ctx, "nightly", &pineconebackup.BackupScheduleArgs{
		IndexName:     indexName,
		Frequency:     pulumi.String(cfg.Require("frequency")),
		RetentionDays: pulumi.Int(7),
	})
	if err != nil {
		return err
	}

	// The index's newest Ready backup, looked up after the backup above is made (DependsOn): the
	// preview that first creates it shows it unknown, not an older backup, or none.
	newest := pineconebackup.LatestBackupOutput(ctx, pineconebackup.LatestBackupOutputArgs{
		IndexName: indexName,
	}, pulumi.DependsOn([]pulumi.Resource{backup}))

	// The newest backup the schedule made: none before its first run (Pinecone runs it at 06:00 UTC).
	newestScheduled := pineconebackup.LatestScheduledBackupOutput(ctx, pineconebackup.LatestScheduledBackupOutputArgs{
		IndexName:    indexName,
		ScheduleName: nightly.Name, // made by the plugin: the schedule was given none
	})

	ctx.Export("backupId", backup.BackupId)
	ctx.Export("backupName", backup.Name)
	ctx.Export("recordCount", backup.RecordCount)
	ctx.Export("restoredHost", restored.Host)
	ctx.Export("scheduleName", nightly.Name)
	ctx.Export("nextScheduledRun", nightly.NextScheduledRun)
	ctx.Export("newestBackupId", newest.BackupId())
	ctx.Export("newestScheduledBackup", newestScheduled.Backup())
	return nil
}

// options are the flags a command takes, named as the CLI's.
type options struct {
	stack           string
	diff            bool
	expectNoChanges bool
}

func parse(command string, args []string) (string, options, error) {
	var opts options
	switch command {
	case "preview", "up", "refresh", "destroy":
	case "help", "-h", "--help":
		return "", opts, flag.ErrHelp
	default:
		return "", opts, fmt.Errorf("unknown command %q", command)
	}
	flags := flag.NewFlagSet(command, flag.ContinueOnError)
	flags.SetOutput(io.Discard) // main prints the error and the usage, once
	flags.StringVar(&opts.stack, "stack", "", "the stack (default: the selected one)")
	flags.BoolVar(&opts.diff, "diff", false, "show each property's change (preview, up)")
	flags.BoolVar(&opts.expectNoChanges, "expect-no-changes", false, "fail if anything would change")
	flags.Bool("yes", false, "accepted so that `up --yes` typed from habit works: nothing is asked")
	if err := flags.Parse(args); err != nil {
		return "", opts, err
	}
	if flags.NArg() > 0 {
		return "", opts, fmt.Errorf("unexpected arguments: %s", strings.Join(flags.Args(), " "))
	}
	return command, opts, nil
}

// drive runs `command` on a stack of the project in the current directory, as `pulumi command`
// would: the stack's configuration is what `pulumi config set` wrote there.
func drive(command string, opts options) error {
	// Ctrl-C cancels: the Automation API passes it on to the engine as SIGINT.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cli, err := auto.NewPulumiCommand(nil)
	if err != nil {
		return fmt.Errorf("%w\nThe Automation API runs the Pulumi CLI: put it on PATH", err)
	}
	dir, err := os.Getwd()
	if err != nil {
		return err
	}
	workspace, err := auto.NewLocalWorkspace(ctx, auto.Pulumi(cli), auto.WorkDir(dir), auto.Program(program))
	if err != nil {
		return err
	}
	if opts.stack == "" {
		selected, err := workspace.Stack(ctx)
		if err != nil {
			return err
		}
		if selected == nil {
			return errors.New("no stack selected: pass --stack NAME, or run `pulumi stack select`")
		}
		opts.stack = selected.Name
	}
	stack, err := auto.SelectStack(ctx, opts.stack, workspace)
	if auto.IsSelectStack404Error(err) {
		return fmt.Errorf("no stack named %q: run `pulumi stack init %s` and set its config first", opts.stack, opts.stack)
	} else if err != nil {
		return err
	}

	// What the engine prints goes to this process's stdout and stderr as it comes.
	out, errOut := os.Stdout, os.Stderr
	switch command {
	case "preview":
		args := []optpreview.Option{optpreview.ProgressStreams(out), optpreview.ErrorProgressStreams(errOut)}
		if opts.diff {
			args = append(args, optpreview.Diff())
		}
		if opts.expectNoChanges {
			args = append(args, optpreview.ExpectNoChanges())
		}
		_, err = stack.Preview(ctx, args...)
	case "up":
		args := []optup.Option{optup.ProgressStreams(out), optup.ErrorProgressStreams(errOut)}
		if opts.diff {
			args = append(args, optup.Diff())
		}
		if opts.expectNoChanges {
			args = append(args, optup.ExpectNoChanges())
		}
		_, err = stack.Up(ctx, args...)
	case "refresh":
		args := []optrefresh.Option{optrefresh.ProgressStreams(out), optrefresh.ErrorProgressStreams(errOut)}
		if opts.expectNoChanges {
			args = append(args, optrefresh.ExpectNoChanges())
		}
		_, err = stack.Refresh(ctx, args...)
	case "destroy":
		_, err = stack.Destroy(ctx, optdestroy.ProgressStreams(out), optdestroy.ErrorProgressStreams(errOut))
	}
	if err != nil {
		// The engine's own account is printed already; the first line says which step failed.
		return errors.New(strings.SplitN(err.Error(), "\n", 2)[0])
	}
	return nil
}
