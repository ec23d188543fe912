// gen-sdk writes the TypeScript and Go SDKs of a Pulumi package from its schema, with the code
// generators `pulumi package gen-sdk` uses (github.com/pulumi/pulumi/pkg/v3/codegen), called
// directly: the CLI's gen-sdk needs the nodejs and go language plugins, which cannot be built here.
//
//	gen-sdk SCHEMA.json nodejs OUT_DIR
//	gen-sdk SCHEMA.json go OUT_DIR
//
// OUT_DIR is emptied first, so a field removed from the schema leaves no file behind.
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/blang/semver"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pinecone-backup gen-sdk"

func main() {
	if len(os.Args) != 4 {
		fail(fmt.Errorf("usage: gen-sdk SCHEMA.json nodejs|go OUT_DIR"))
	}
	files, err := generate(os.Args[1], os.Args[2])
	if err != nil {
		fail(err)
	}
	if err := write(os.Args[3], files); err != nil {
		fail(err)
	}
}

func generate(schemaPath, language string) (map[string][]byte, error) {
	raw, err := os.ReadFile(schemaPath)
	if err != nil {
		return nil, err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(raw, &spec); err != nil {
		return nil, fmt.Errorf("%s: %w", schemaPath, err)
	}
	pkg, diags, err := schema.BindSpec(spec, selfContained{}, schema.ValidationOptions{})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, diags
	}
	switch language {
	case "nodejs":
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, selfContained{})
	case "go":
		return gogen.GeneratePackage(tool, pkg, nil)
	}
	return nil, fmt.Errorf("unknown language %q: nodejs or go", language)
}

// selfContained is the loader of a schema that references no other package (pulumi.json's
// built-in types need none): any reference is an error rather than a plugin download.
type selfContained struct{}

func (selfContained) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("the schema references package %q: it must be self-contained", name)
}

func (l selfContained) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (selfContained) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, fmt.Errorf("the schema references package %q: it must be self-contained", name)
}

func (l selfContained) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}

func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen-sdk:", err)
	os.Exit(1)
}
