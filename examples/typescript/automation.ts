// Runs index.ts through Pulumi's Automation API, where no Node language host is installed:
//   npm run preview|up|destroy -- --stack NAME [--diff] [--expect-no-changes] [--refresh]
// The project is this directory (Pulumi.yaml, and the stack's Pulumi.NAME.yaml that
// `pulumi config set` writes); the backend and secrets are the CLI's (`pulumi login`,
// PULUMI_CONFIG_PASSPHRASE); the CLI is the `pulumi` on PATH. It prints what the CLI prints.
import * as path from "path";
import { CommandError, LocalWorkspace, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import program = require("./index");

const USAGE = "usage: npm run preview|up|destroy -- --stack NAME [--diff] [--expect-no-changes] [--refresh]";
const FLAGS: Record<string, string[]> = {
    preview: ["--diff", "--expect-no-changes", "--refresh"],
    up: ["--diff", "--expect-no-changes", "--refresh", "--yes"], // --yes: the runner never asks
    destroy: ["--refresh", "--yes"],
};

async function main(args: string[]): Promise<number> {
    const [command, ...rest] = args;
    let stackName: string | undefined;
    const flags = new Set<string>();
    for (let i = 0; i < rest.length; i++) {
        if (rest[i] === "--stack" || rest[i] === "-s") {
            stackName = rest[++i];
        } else if (rest[i].startsWith("--stack=")) {
            stackName = rest[i].slice("--stack=".length);
        } else if (FLAGS[command]?.includes(rest[i])) {
            flags.add(rest[i]);
        } else {
            console.error(`unknown argument: ${rest[i]}\n${USAGE}`);
            return 2;
        }
    }
    if (!(command in FLAGS) || !stackName) {
        console.error(USAGE);
        return 2;
    }

    let stack: Stack;
    try {
        const pulumiCommand = await PulumiCommand.get().catch((error) => {
            throw new Error(`the Pulumi CLI is needed on PATH: ${reason(error)}`);
        });
        // The project directory: this file is compiled into bin/.
        const workDir = path.resolve(__dirname, "..");
        const workspace = await LocalWorkspace.create({ workDir, program, pulumiCommand });
        stack = await Stack.createOrSelect(stackName, workspace);
    } catch (error) {
        console.error(`error: ${reason(error)}`);
        return 1;
    }
    const output = {
        onOutput: (text: string) => process.stdout.write(text),
        onError: (text: string) => process.stderr.write(text),
    };
    const refresh = flags.has("--refresh");
    const diff = flags.has("--diff");
    const expectNoChanges = flags.has("--expect-no-changes");
    try {
        if (command === "preview") {
            await stack.preview({ ...output, refresh, diff, expectNoChanges });
        } else if (command === "up") {
            await stack.up({ ...output, refresh, diff, expectNoChanges });
        } else {
            await stack.destroy({ ...output, refresh });
        }
    } catch (error) {
        if (error instanceof CommandError) {
            return 1; // the CLI has printed why
        }
        throw error;
    }
    return 0;
}

// What the CLI printed on stderr, for a command the runner ran without printing its output.
function reason(error: unknown): string {
    const message = error instanceof Error ? error.message : String(error);
    return (/stderr: ([\s\S]*?)\n err\?:/.exec(message)?.[1] ?? message).trim();
}

main(process.argv.slice(2)).then(
    (status) => process.exit(status),
    (error) => {
        console.error(error);
        process.exit(1);
    },
);
