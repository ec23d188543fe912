// Command pulumi-language-python is a thin wrapper around the Python language host of Pulumi
// v3.79.0, installed by scripts/install-pulumi beside a newer Pulumi CLI.
//
// Why it exists: since v3.80.0 the Python language host is its own Go module, which the Go
// module proxy refuses at every version, so the newest host we can build is the one inside
// github.com/pulumi/pulumi/sdk/v3@v3.79.0. Newer engines stopped passing -root and -virtualenv
// to language hosts (they send the runtime options over gRPC instead, which that host does not
// read), so on its own it would ignore `runtime.options.virtualenv` and run the system python.
//
// This wrapper finds the nearest Pulumi.yaml from its working directory upwards (the engine
// starts language hosts in the program's directory), reads runtime.options.virtualenv with the
// Pulumi SDK's own project loader, resolves it against the project directory, and execs the
// real host (pulumi-language-python-host, beside this executable) with
// `-root <project dir> -virtualenv <absolute path>` prepended to its own arguments. Without a
// project or a virtualenv option it execs the host unchanged.
package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"

	"github.com/pulumi/pulumi/sdk/v3/go/common/encoding"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

const realHost = "pulumi-language-python-host"

func main() {
	if err := run(); err != nil {
		fmt.Fprintf(os.Stderr, "pulumi-language-python: %v\n", err)
		os.Exit(1)
	}
}

func run() error {
	self, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot find my own executable: %w", err)
	}
	host := filepath.Join(filepath.Dir(self), realHost)

	prefix, err := hostFlags()
	if err != nil {
		return err
	}
	argv := append([]string{host}, prefix...)
	argv = append(argv, os.Args[1:]...)
	// Go's flag parsing stops at the first positional argument (the engine address), so our
	// flags go first. Exec keeps the PID, stdout (the port) and signals the engine expects.
	if err := syscall.Exec(host, argv, os.Environ()); err != nil {
		return fmt.Errorf("cannot run %s: %w", host, err)
	}
	return nil
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
