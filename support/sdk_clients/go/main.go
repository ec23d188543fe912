// Command sdk-client drives Pinecone's official Go SDK (github.com/pinecone-io/go-pinecone/v5)
// through every index, backup and restore call: the same scenario, steps and result shapes as
// ../python_client.py.
//
// support/sdks.py builds it into ~/.cache/pinecone-backup/sdks/ and tests/test_official_sdks.py
// runs it. Settings come as JSON on stdin; it prints {"sdk", "steps", "error"} on stdout and
// exits 1 when a call fails.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"sort"
	"time"

	"github.com/pinecone-io/go-pinecone/v5/pinecone"
)

const (
	sdkModule     = "github.com/pinecone-io/go-pinecone/v5"
	newIndex      = "sdk-new"
	restoredIndex = "sdk-restored"
	waitFor       = 30 * time.Second
	pollEvery     = 50 * time.Millisecond
)

type settings struct {
	Host        string `json:"host"`
	APIKey      string `json:"api_key"`
	SourceIndex string `json:"source_index"`
	Dimension   int32  `json:"dimension"`
}

type object = map[string]any

// steps holds each step's result in order, and the step running now.
type steps struct {
	results map[string]any
	current string
}

func (s *steps) run(name string, call func() (any, error)) (any, error) {
	s.current = name
	result, err := call()
	if err == nil {
		s.results[name] = result
	}
	return result, err
}

// expectError runs a call the emulator must refuse and records the SDK's error, or null.
func (s *steps) expectError(name string, call func() error) {
	s.current = name
	if err := call(); err != nil {
		s.results[name] = object{"error": errorInfo(err)}
	} else {
		s.results[name] = object{"error": nil}
	}
}

func errorInfo(err error) object {
	info := object{"status": nil, "type": fmt.Sprintf("%T", err), "message": err.Error()}
	var pe *pinecone.PineconeError
	if errors.As(err, &pe) {
		info["status"] = pe.Code
	}
	return info
}

func deref[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

func indexInfo(idx *pinecone.Index) object {
	tags := map[string]string{}
	if idx.Tags != nil {
		tags = *idx.Tags
	}
	info := object{
		"name":                idx.Name,
		"dimension":           deref(idx.Dimension),
		"metric":              string(idx.Metric),
		"deletion_protection": string(idx.DeletionProtection),
		"tags":                tags,
		"ready":               false,
		"state":               nil,
		"host":                idx.Host,
	}
	if idx.Status != nil {
		info["ready"] = idx.Status.Ready
		info["state"] = string(idx.Status.State)
	}
	return info
}

func backupInfo(b *pinecone.Backup) object {
	return object{
		"backup_id":         b.BackupId,
		"name":              deref(b.Name),
		"description":       deref(b.Description),
		"status":            b.Status,
		"source_index_name": b.SourceIndexName,
		"record_count":      deref(b.RecordCount),
		"namespace_count":   deref(b.NamespaceCount),
		"size_bytes":        deref(b.SizeBytes),
	}
}

func jobInfo(j *pinecone.RestoreJob) object {
	return object{
		"restore_job_id":    j.RestoreJobId,
		"backup_id":         j.BackupId,
		"target_index_name": j.TargetIndexName,
		"status":            j.Status,
		"percent_complete":  deref(j.PercentComplete),
	}
}

// poll calls describe until done holds or the wait runs out; the last answer either way.
func poll[T any](describe func() (T, error), done func(T) bool) (T, error) {
	deadline := time.Now().Add(waitFor)
	for {
		found, err := describe()
		if err != nil || done(found) || time.Now().After(deadline) {
			return found, err
		}
		time.Sleep(pollEvery)
	}
}

// walk follows pagination.next through every page: page sizes and the items, in order.
func walk(listPage func(token *string) ([]object, *pinecone.Pagination, error)) (any, error) {
	pages, items := []int{}, []object{}
	var token *string
	for len(pages) <= 50 {
		batch, pagination, err := listPage(token)
		if err != nil {
			return nil, err
		}
		pages = append(pages, len(batch))
		items = append(items, batch...)
		if pagination == nil || pagination.Next == "" {
			break
		}
		next := pagination.Next
		token = &next
	}
	return object{"pages": pages, "items": items}, nil
}

func ptr[T any](v T) *T { return &v }

func scenario(ctx context.Context, pc *pinecone.Client, cfg settings, step *steps) error {
	source := cfg.SourceIndex
	indexNames := func() (any, error) {
		indexes, err := pc.ListIndexes(ctx)
		if err != nil {
			return nil, err
		}
		names := []string{}
		for _, idx := range indexes {
			names = append(names, idx.Name)
		}
		sort.Strings(names)
		return names, nil
	}

	if _, err := step.run("create_index", func() (any, error) {
		metric := pinecone.Cosine
		protection := pinecone.DeletionProtectionEnabled
		idx, err := pc.CreateServerlessIndex(ctx, &pinecone.CreateServerlessIndexRequest{
			Name:               newIndex,
			Cloud:              pinecone.Aws,
			Region:             "us-east-1",
			Metric:             &metric,
			Dimension:          ptr(cfg.Dimension),
			DeletionProtection: &protection,
			Tags:               &pinecone.IndexTags{"team": "search"},
		})
		if err != nil {
			return nil, err
		}
		return indexInfo(idx), nil
	}); err != nil {
		return err
	}
	if _, err := step.run("describe_index", func() (any, error) {
		idx, err := pc.DescribeIndex(ctx, newIndex)
		if err != nil {
			return nil, err
		}
		return indexInfo(idx), nil
	}); err != nil {
		return err
	}
	if _, err := step.run("list_indexes", indexNames); err != nil {
		return err
	}
	step.expectError("delete_protected_index", func() error { return pc.DeleteIndex(ctx, newIndex) })
	if _, err := step.run("configure_index", func() (any, error) {
		idx, err := pc.ConfigureIndex(ctx, newIndex, pinecone.ConfigureIndexParams{
			DeletionProtection: pinecone.DeletionProtectionDisabled,
			Tags:               pinecone.IndexTags{"env": "test", "team": ""},
		})
		if err != nil {
			return nil, err
		}
		return indexInfo(idx), nil
	}); err != nil {
		return err
	}

	ids := []string{}
	if _, err := step.run("create_backups", func() (any, error) {
		created := []object{}
		for _, b := range []struct{ index, name, description string }{
			{source, "nightly-1", "first"},
			{source, "nightly-2", "second"},
			{newIndex, "new-1", "of the new index"},
		} {
			backup, err := pc.CreateBackup(ctx, &pinecone.CreateBackupParams{
				IndexName: b.index, Name: ptr(b.name), Description: ptr(b.description),
			})
			if err != nil {
				return nil, err
			}
			ids = append(ids, backup.BackupId)
			created = append(created, backupInfo(backup))
		}
		return created, nil
	}); err != nil {
		return err
	}
	ready := func(id string) (object, error) {
		b, err := poll(func() (*pinecone.Backup, error) { return pc.DescribeBackup(ctx, id) },
			func(b *pinecone.Backup) bool { return b.Status != "Initializing" })
		if err != nil {
			return nil, err
		}
		return backupInfo(b), nil
	}
	if _, err := step.run("describe_backup", func() (any, error) { return ready(ids[0]) }); err != nil {
		return err
	}
	if _, err := step.run("ready_backups", func() (any, error) {
		found := []object{}
		for _, id := range ids[1:] {
			b, err := ready(id)
			if err != nil {
				return nil, err
			}
			found = append(found, b)
		}
		return found, nil
	}); err != nil {
		return err
	}
	listBackups := func(indexName *string, limit int) func() (any, error) {
		return func() (any, error) {
			return walk(func(token *string) ([]object, *pinecone.Pagination, error) {
				page, err := pc.ListBackups(ctx, &pinecone.ListBackupsParams{
					IndexName: indexName, Limit: ptr(limit), PaginationToken: token,
				})
				if err != nil {
					return nil, nil, err
				}
				batch := []object{}
				for _, b := range page.Data {
					batch = append(batch, backupInfo(b))
				}
				return batch, page.Pagination, nil
			})
		}
	}
	if _, err := step.run("list_index_backups", listBackups(ptr(source), 1)); err != nil {
		return err
	}
	if _, err := step.run("list_new_index_backups", listBackups(ptr(newIndex), 10)); err != nil {
		return err
	}
	if _, err := step.run("list_project_backups", listBackups(nil, 2)); err != nil {
		return err
	}

	var jobID string
	if _, err := step.run("create_index_from_backup", func() (any, error) {
		protection := pinecone.DeletionProtectionDisabled
		res, err := pc.CreateIndexFromBackup(ctx, &pinecone.CreateIndexFromBackupParams{
			BackupId: ids[0], Name: restoredIndex, DeletionProtection: &protection,
			Tags: &pinecone.IndexTags{"restored": "yes"},
		})
		if err != nil {
			return nil, err
		}
		jobID = res.RestoreJobId
		return object{"restore_job_id": res.RestoreJobId, "index_id": res.IndexId}, nil
	}); err != nil {
		return err
	}
	if _, err := step.run("describe_restore_job", func() (any, error) {
		job, err := poll(func() (*pinecone.RestoreJob, error) { return pc.DescribeRestoreJob(ctx, jobID) },
			func(j *pinecone.RestoreJob) bool { return j.Status != "Pending" && j.Status != "Running" })
		if err != nil {
			return nil, err
		}
		return jobInfo(job), nil
	}); err != nil {
		return err
	}
	if _, err := step.run("list_restore_jobs", func() (any, error) {
		return walk(func(token *string) ([]object, *pinecone.Pagination, error) {
			page, err := pc.ListRestoreJobs(ctx, &pinecone.ListRestoreJobsParams{Limit: ptr(1), PaginationToken: token})
			if err != nil {
				return nil, nil, err
			}
			batch := []object{}
			for _, j := range page.Data {
				batch = append(batch, jobInfo(j))
			}
			return batch, page.Pagination, nil
		})
	}); err != nil {
		return err
	}
	if _, err := step.run("describe_restored_index", func() (any, error) {
		idx, err := poll(func() (*pinecone.Index, error) { return pc.DescribeIndex(ctx, restoredIndex) },
			func(i *pinecone.Index) bool { return i.Status != nil && i.Status.Ready })
		if err != nil {
			return nil, err
		}
		return indexInfo(idx), nil
	}); err != nil {
		return err
	}

	if _, err := step.run("delete_backup", func() (any, error) { return nil, pc.DeleteBackup(ctx, ids[1]) }); err != nil {
		return err
	}
	step.expectError("describe_deleted_backup", func() error {
		_, err := pc.DescribeBackup(ctx, ids[1])
		return err
	})
	if _, err := step.run("delete_indexes", func() (any, error) {
		names := []string{newIndex, restoredIndex}
		for _, name := range names {
			if err := pc.DeleteIndex(ctx, name); err != nil {
				return nil, err
			}
		}
		return names, nil
	}); err != nil {
		return err
	}
	_, err := step.run("list_indexes_after", indexNames)
	return err
}

func sdkVersion() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == sdkModule {
				return dep.Version
			}
		}
	}
	return "unknown"
}

func main() {
	var cfg settings
	if err := json.NewDecoder(os.Stdin).Decode(&cfg); err != nil {
		fmt.Fprintln(os.Stderr, "sdk-client: reading settings from stdin:", err)
		os.Exit(2)
	}
	step := &steps{results: map[string]any{}}
	output := object{
		"sdk":   object{"language": "go", "version": sdkVersion(), "go": runtime.Version()},
		"steps": step.results,
		"error": nil,
	}
	// The documented host setting: NewClientParams.Host.
	pc, err := pinecone.NewClient(pinecone.NewClientParams{ApiKey: cfg.APIKey, Host: cfg.Host})
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		err = scenario(ctx, pc, cfg, step)
		cancel()
	} else {
		step.current = "new_client"
	}
	if err != nil {
		info := errorInfo(err)
		info["step"] = step.current
		info["traceback"] = fmt.Sprintf("%+v", err)
		output["error"] = info
	}
	encoded, _ := json.Marshal(output)
	fmt.Println(string(encoded))
	if err != nil {
		os.Exit(1)
	}
}
