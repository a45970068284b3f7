using Dms.TestSupport;

namespace Dms.IntegrationTests.Deploy;

/// <summary>
/// <c>./dms.sh deploy aws --env demo --dry-run</c>, as a new user runs it: the whole ordered plan printed, and nothing
/// run. The aws, docker and curl on its PATH here only record that they were called. What this cannot prove: that
/// AWS and a container engine accept the commands (neither is reachable here).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class DeployPlanTests : IDisposable
{
    private readonly DirectoryInfo _tools = Directory.CreateTempSubdirectory("dms-deploy-plan-");

    public void Dispose() => _tools.Delete(recursive: true);

    [Fact]
    public async Task The_dry_run_prints_the_whole_deploy_in_order_and_runs_none_of_it()
    {
        var calls = Path.Combine(_tools.FullName, "calls");
        foreach (var tool in new[] { "aws", "docker", "curl" })
        {
            var path = Path.Combine(_tools.FullName, tool);
            await File.WriteAllTextAsync(path, $"#!/bin/sh\necho \"{tool} $*\" >> '{calls}'\nexit 1\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var plan = await DryRunAsync("demo");
        var lines = plan.Output.Split('\n');

        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.False(File.Exists(calls), File.Exists(calls) ? File.ReadAllText(calls) : "");
        var order = new[]
        {
            "aws sts get-caller-identity",
            "--stack-name dms-demo-registry --template-file deploy/aws/registry.yaml",
            "--stack-name dms-demo-network --template-file deploy/aws/network.yaml",
            "docker login --username AWS",
            "dotnet publish Dms.Api -c Release -r linux-x64",
            "docker build --platform linux/amd64 -f Dms.Api/Dockerfile",
            "docker push $registry/dms-demo/api:",
            "docker push $registry/dms-demo/web:",
            "docker push $registry/dms-demo/worker:",
            "docker push $registry/dms-demo/migrations:",
            "--stack-name dms-demo --template-file deploy/aws/dms.yaml",
            "aws ecs run-task",
            "aws ecs wait tasks-stopped",
            "containers[0].exitCode",
            "[ \"$exit_code\" = 0 ] || exit 1",
            "aws ecs wait services-stable",
            "/alive",
        };
        var at = order.Select(step => Array.FindIndex(lines, line => line.Contains(step, StringComparison.Ordinal))).ToArray();
        Assert.All(order.Zip(at), step => Assert.True(step.Second >= 0, $"The plan has no step with \"{step.First}\":\n{plan.Output}"));
        Assert.Equal(at.Order(), at);

        // Every stack update of dms.yaml: the template from the registry's bucket (past CloudFormation's inline size),
        // the rotation's transform allowed, the environment's file in the parameters.
        var stackDeploys = lines.Where(l => l.Contains("--template-file deploy/aws/dms.yaml", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, stackDeploys.Count);
        Assert.All(stackDeploys, line =>
        {
            Assert.Contains("--s3-bucket $templates", line);
            Assert.Contains("CAPABILITY_AUTO_EXPAND", line);
            Assert.Contains("HostedUiDomainPrefix=dms-demo-example", line);
            Assert.Contains("VpcId=$vpc", line);
        });
        // The first deploy starts no task before the migrations have run; the last one rolls the new images out.
        Assert.Contains("ApiDesiredCount=0 WorkerMinCount=0 WebDesiredCount=0", stackDeploys[1]);
        Assert.DoesNotContain("ApiDesiredCount=2", stackDeploys[1]);
        Assert.DoesNotContain("ApiImage=", stackDeploys[0]);
        Assert.Contains("ApiImage=$registry/dms-demo/api:", stackDeploys[2]);
        Assert.Contains("ApiDesiredCount=2", stackDeploys[2]);
    }

    [Fact]
    public async Task An_environment_without_a_file_is_refused_with_the_ones_there_are()
    {
        var plan = await DryRunAsync("nowhere");

        Assert.Equal(2, plan.ExitCode);
        Assert.Contains("No environment 'nowhere'", plan.Error);
        Assert.Contains("demo", plan.Error);
    }

    [Theory]
    [InlineData("registry.yaml")]
    [InlineData("network.yaml")]
    public async Task The_deploys_other_templates_pass_cfn_lint(string template)
    {
        var lint = await ProcessRunner.RunAsync("node",
            [CloudFormationTemplate.PathOf("tools", "cfn-lint", "lint.cjs"), CloudFormationTemplate.PathOf("deploy", "aws", template)],
            timeout: TimeSpan.FromMinutes(1));

        Assert.True(lint.ExitCode == 0, lint.ToString());
        Assert.Contains("0 critical", lint.Output);
    }

    private Task<ProcessResult> DryRunAsync(string environment) =>
        ProcessRunner.RunAsync("bash", [CloudFormationTemplate.PathOf("dms.sh"), "deploy", "aws", "--env", environment, "--dry-run"],
            new Dictionary<string, string> { ["PATH"] = $"{_tools.FullName}:{Environment.GetEnvironmentVariable("PATH")}" },
            timeout: TimeSpan.FromMinutes(1), workingDirectory: CloudFormationTemplate.PathOf());
}
