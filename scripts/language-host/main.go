// Command pulumi-language-python is a thin wrapper around the Python language host of Pulumi
// v3.79.0, installed by scripts/install-pulumi beside a newer Pulumi CLI. Linux only.
//
// Why it exists: since v3.80.0 the Python language host is its own Go module, which the Go
// module proxy refuses at every version, so the newest host we can build is the one inside
// github.com/pulumi/pulumi/sdk/v3@v3.79.0. Newer engines stopped passing -root and -virtualenv
// to language hosts (they send the runtime options over gRPC instead, which that host does not
// read), so on its own it would ignore `runtime.options.virtualenv` and run the system python.
//
// This wrapper finds the nearest Pulumi.yaml from its working directory upwards (the engine
// starts language hosts in the program's directory), reads runtime.options.virtualenv with the
// Pulumi SDK's own project loader, resolves it against the project directory, and runs the
// real host (pulumi-language-python-host, beside this executable) with
// `-root <project dir> -virtualenv <absolute path>` prepended to its own arguments. Without a
// project or a virtualenv option it runs the host unchanged.
//
// It runs the host as its child, not by exec, so that the Python program ends with its host.
// The engine closes a plugin by sending SIGINT to the plugin's process group, then waits up to
// 5 s for the process to exit and its output pipes to close before killing it. That host exits
// at once on SIGINT, but the program it started (pulumi-language-python-exec) does not: orphaned,
// it keeps the pipes open, and every cancelled `pulumi up` waited the 5 s out. So the wrapper is
// a child subreaper (the host's orphans are reparented to it, not to init), forwards SIGINT,
// SIGTERM, SIGHUP and SIGQUIT to the host, and once the host has exited sends SIGTERM to every
// process still below it, SIGKILL to those left 1 s later, reaps them, and exits as the host did
// (its exit code, or its signal). If the engine itself dies (killed: it closes nothing), the
// wrapper notices within a second that its parent changed and sends the host SIGTERM, with the
// same cleanup. The host inherits stdin, stdout (where it prints the port the engine reads) and
// stderr; the engine signals the wrapper's pid, as it would the host's.
package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

const (
	realHost = "pulumi-language-python-host"

	prSetChildSubreaper = 36 // PR_SET_CHILD_SUBREAPER from <linux/prctl.h>

	termGrace = time.Second     // SIGTERM, then SIGKILL this long after
	killGrace = 5 * time.Second // then stop waiting for what cannot die (uninterruptible sleep)
)

// The signals passed on to the host; the engine sends SIGINT to the whole group, the host included.
var forwarded = []os.Signal{syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGQUIT}

func main() {
	status, err := run()
	if err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
	exitLike(status)
}

func run() (syscall.WaitStatus, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, fmt.Errorf("cannot find my own executable: %w", err)
	}
	host := filepath.Join(filepath.Dir(self), realHost)

	prefix, err := hostFlags()
	if err != nil {
		return 0, err
	}
	// Go's flag parsing stops at the first positional argument (the engine address), so our
	// flags go first.
	argv := append([]string{host}, prefix...)
	argv = append(argv, os.Args[1:]...)
	return supervise(host, argv)
}

// supervise runs the host, passes signals on to it, and once it has exited ends whatever it
// left behind; it returns the host's wait status.
func supervise(host string, argv []string) (syscall.WaitStatus, error) {
	// Best effort: without it the host's orphans go to init, out of reach of endDescendants.
	_, _, _ = syscall.RawSyscall6(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0, 0, 0, 0)

	signals := make(chan os.Signal, len(forwarded))
	for _, sig := range forwarded {
		if !signal.Ignored(sig) { // an ignored signal (`nohup`, `&` in a script) stays so for the host
			signal.Notify(signals, sig)
		}
	}
	exited := make(chan os.Signal, 1)
	signal.Notify(exited, syscall.SIGCHLD)

	proc, err := os.StartProcess(host, argv, &os.ProcAttr{
		Env:   os.Environ(),
		Files: []*os.File{os.Stdin, os.Stdout, os.Stderr},
	})
	if err != nil {
		return 0, fmt.Errorf("cannot run %s: %w", host, err)
	}
	defer func() { _ = proc.Release() }()

	// One goroutine reaps and signals, so a signal never reaches a pid that was reaped and reused.
	engine, orphaned := os.Getppid(), false
	poll := time.NewTicker(time.Second) // in case a SIGCHLD is ever missed, and to notice the engine's death
	defer poll.Stop()
	for {
		if status, done := reap(proc.Pid); done {
			endDescendants() // signals still caught meanwhile: a second SIGINT must not end us half-way
			return status, nil
		}
		select {
		case sig := <-signals:
			_ = proc.Signal(sig)
		case <-exited:
		case <-poll.C:
			// A killed engine closes nothing, and its program has nobody left to talk to.
			if !orphaned && os.Getppid() != engine {
				orphaned = true
				_ = proc.Signal(syscall.SIGTERM)
			}
		}
	}
}

// reap collects every exited child (the host's orphans are our children too); done once the host
// is among them, with its status.
func reap(hostPid int) (status syscall.WaitStatus, done bool) {
	for {
		var ws syscall.WaitStatus
		pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
		switch {
		case errors.Is(err, syscall.EINTR):
			continue
		case err != nil || pid <= 0: // ECHILD, or no child has exited yet
			return status, done
		case pid == hostPid:
			status, done = ws, true
		}
	}
}

// endDescendants sends SIGTERM to every process below this one, SIGKILL to those left after
// termGrace, and reaps them; it gives up on what is still there killGrace later.
func endDescendants() {
	self := os.Getpid()
	signalled := map[int]bool{}
	started := time.Now()
	for {
		reap(0)
		left := descendants(self)
		elapsed := time.Since(started)
		if len(left) == 0 || elapsed > termGrace+killGrace {
			return
		}
		for _, pid := range left {
			if elapsed >= termGrace {
				_ = syscall.Kill(pid, syscall.SIGKILL)
			} else if !signalled[pid] {
				_ = syscall.Kill(pid, syscall.SIGTERM)
				signalled[pid] = true
			}
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// descendants lists the live (not zombie) processes below `root`, from /proc.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + entry.Name() + "/stat")
		if err != nil {
			continue // gone meanwhile
		}
		// "pid (comm) state ppid ...": comm may hold spaces and parentheses, so cut at the last ')'.
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			children[ppid] = append(children[ppid], pid)
		}
	}
	var found []int
	for queue := children[root]; len(queue) > 0; queue = queue[1:] {
		found = append(found, queue[0])
		queue = append(queue, children[queue[0]]...)
	}
	return found
}

// exitLike exits as the host did: with its exit code, or killed by the same signal.
func exitLike(status syscall.WaitStatus) {
	if !status.Signaled() {
		os.Exit(status.ExitStatus())
	}
	sig := status.Signal()
	switch sig {
	case syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP, syscall.SIGKILL:
		signal.Reset(sig)
		_ = syscall.Kill(os.Getpid(), sig)
		time.Sleep(time.Second) // the signal is on its way; if it is ignored, the shell's convention:
	}
	os.Exit(128 + int(sig))
}

// hostFlags returns the flags to prepend for the project around the working directory.
func hostFlags() ([]string, error) {
	cwd, err := os.Getwd()
	if err != nil {
		return nil, err
	}
	projectPath, err := workspace.DetectProjectPathFrom(cwd)
	if errors.Is(err, workspace.ErrProjectNotFound) {
		return nil, nil // e.g. `pulumi about` outside a project: nothing to add
	} else if err != nil {
		return nil, err
	}
	runtime, err := loadRuntime(projectPath)
	if err != nil {
		return nil, err
	}
	options := runtime.Options()

	if toolchain, _ := options["toolchain"].(string); toolchain != "" && toolchain != "pip" {
		return nil, fmt.Errorf("%s sets runtime.options.toolchain: %s, but this language host "+
			"(Pulumi's v3.79.0 host) supports only pip virtualenvs; use `virtualenv: <dir>` "+
			"(toolchain: pip) instead, or install the Pulumi CLI the usual way", projectPath, toolchain)
	}

	root := filepath.Dir(projectPath)
	virtualenv, _ := options["virtualenv"].(string)
	if virtualenv == "" {
		return nil, nil
	}
	if !filepath.IsAbs(virtualenv) {
		virtualenv = filepath.Join(root, virtualenv)
	}
	return []string{"-root", root, "-virtualenv", virtualenv}, nil
}

// loadRuntime reads the project's runtime section. The engine has already validated the file
// against its own (newer) schema; if the v3.79.0 schema is stricter about some newer field,
// fall back to decoding only the runtime section, with the same decoder.
func loadRuntime(projectPath string) (workspace.ProjectRuntimeInfo, error) {
	project, err := workspace.LoadProject(projectPath)
	if err == nil {
		return project.Runtime, nil
	}
	marshaler, _ := encoding.Detect(projectPath)
	raw, readErr := os.ReadFile(projectPath)
	if marshaler == nil || readErr != nil {
		return workspace.ProjectRuntimeInfo{}, err
	}
	var partial struct {
		Runtime workspace.ProjectRuntimeInfo `json:"runtime" yaml:"runtime"`
	}
	if marshaler.Unmarshal(raw, &partial) != nil {
		return workspace.ProjectRuntimeInfo{}, err
	}
	return partial.Runtime, nil
}
