"""The several-instances stack (deploy/cloudformation-scale.yaml): it passes cfn-lint, carries the deploy
scripts verbatim, and deploys into moto's CloudFormation on top of the single-instance stack's names: a load
balancer with sticky sessions and a /healthz check, an Auto Scaling group of at least 2 servers across two
zones with rolling updates, Redis reachable only from the servers, servers reachable only from the balancer.

What moto cannot show (no instance boots, no ElastiCache, no IAM evaluation, no traffic) is listed in
docs/DEPLOY.md, "Grow past one instance"."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from cfnlint.api import lint_file
from cfnlint.decode import decode_str

from deploy.embed_bootstrap import with_all_scripts
from services.settings import load_settings
from tests.test_deploy import with_stand_ins

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "deploy" / "cloudformation-scale.yaml"
REGION = "us-east-1"
# moto 5.2's CloudFormation has no ElastiCache models: stand-ins (Ref -> the first, GetAtt X.Attr -> Attr's).
MOTO_UNSUPPORTED: dict[str, tuple[str, dict[str, str]]] = {
    "AWS::ElastiCache::SubnetGroup": ("moviemagic-cache-subnets", {}),
    "AWS::ElastiCache::ParameterGroup": ("moviemagic-cache-parameters", {}),
    "AWS::ElastiCache::ReplicationGroup": ("moviemagic-cache", {
        "PrimaryEndPoint.Address": "master.moviemagic-cache.abc123.use1.cache.amazonaws.com",
        "PrimaryEndPoint.Port": "6379"}),
    "AWS::AutoScaling::ScalingPolicy": ("moviemagic-scale-on-cpu", {}),
}


def load() -> dict[str, Any]:
    template, errors = decode_str(TEMPLATE.read_text())
    assert not errors, errors
    return template


def test_cfn_lint_passes() -> None:
    problems = lint_file(TEMPLATE)  # deploy/check.sh also runs it with the informational rules
    assert not problems, "\n".join(str(problem) for problem in problems)


def test_user_data_carries_the_deploy_scripts_and_a_redis_url() -> None:
    text = TEMPLATE.read_text()
    assert with_all_scripts(text) == text, "run python deploy/embed_bootstrap.py"
    assert "SIGNAL_RESOURCE='ServerGroup'" in text and "REDIS_URL='rediss://" in text
    assert "SEED_DEMO='false'" in text  # the single-instance stack seeded the shared tables already
    # nginx takes the visitor from the balancer's X-Forwarded-For (tests/test_nginx.py runs that edge file).
    assert "EDGE='alb'" in text and (ROOT / "deploy" / "nginx-edge-alb.conf").exists()


def test_servers_roll_one_at_a_time_and_only_the_balancer_reaches_them() -> None:
    resources = load()["Resources"]
    group = resources["ServerGroup"]
    rolling = group["UpdatePolicy"]["AutoScalingRollingUpdate"]
    assert rolling["MinInstancesInService"] == 1 and rolling["MaxBatchSize"] == 1 and rolling["WaitOnResourceSignals"]
    assert group["Properties"]["HealthCheckType"] == "ELB"
    target = resources["TargetGroup"]["Properties"]
    assert target["HealthCheckPath"] == "/healthz"
    attributes = {a["Key"]: a["Value"] for a in target["TargetGroupAttributes"]}
    assert attributes["stickiness.enabled"] == "true" and attributes["stickiness.type"] == "lb_cookie"
    server_in = resources["ServerSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(rule["FromPort"], rule["SourceSecurityGroupId"]) for rule in server_in] == [
        (80, {"Fn::GetAtt": ["LoadBalancerSecurityGroup", "GroupId"]})]
    cache_in = resources["CacheSecurityGroup"]["Properties"]["SecurityGroupIngress"]
    assert [(rule["FromPort"], rule["SourceSecurityGroupId"]) for rule in cache_in] == [
        (6379, {"Fn::GetAtt": ["ServerSecurityGroup", "GroupId"]})]
    cache = resources["Cache"]["Properties"]
    assert cache["TransitEncryptionEnabled"] and cache["AtRestEncryptionEnabled"] and cache["MultiAZEnabled"]
    # No new permissions: the servers run with the single-instance stack's least-privilege role.
    assert not [r for r in resources.values() if r["Type"].startswith("AWS::IAM::")]


def template_for_moto() -> str:
    return with_stand_ins(load(), MOTO_UNSUPPORTED)


def _client(name: str, endpoint: str) -> Any:
    return boto3.client(name, endpoint_url=endpoint, region_name=REGION, aws_access_key_id="moto",
                        aws_secret_access_key="moto")


@pytest.fixture
def scale_stack(moto_endpoint: str) -> Iterator[dict[str, Any]]:
    ec2 = _client("ec2", moto_endpoint)
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=f"10.7.{i}.0/24", AvailabilityZone=f"{REGION}{zone}")
               ["Subnet"]["SubnetId"] for i, zone in enumerate("ab")]
    iam = _client("iam", moto_endpoint)
    profile = f"mm-profile-{uuid.uuid4().hex[:6]}"
    iam.create_instance_profile(InstanceProfileName=profile)
    name = f"mmscale{uuid.uuid4().hex[:8]}"
    parameters = {
        "GitUrl": "https://github.com/example/movie-magic.git", "GitRef": "v1.0", "TablePrefix": "moviemagic-",
        "TopicArn": f"arn:aws:sns:{REGION}:123456789012:moviemagic-bookings",
        "SecretArn": f"arn:aws:secretsmanager:{REGION}:123456789012:secret:moviemagic-AbCdEf",
        "LogGroup": "/moviemagic/base", "PostersBucket": "moviemagic-posters-abc123",
        "InstanceProfile": profile, "VpcId": vpc, "SubnetIds": ",".join(subnets),
    }
    cloudformation = _client("cloudformation", moto_endpoint)
    cloudformation.create_stack(StackName=name, TemplateBody=template_for_moto(),
                                Parameters=[{"ParameterKey": k, "ParameterValue": v} for k, v in parameters.items()])
    described = cloudformation.describe_stacks(StackName=name)["Stacks"][0]
    assert described["StackStatus"] == "CREATE_COMPLETE", described.get("StackStatusReason")
    summaries = cloudformation.list_stack_resources(StackName=name)["StackResourceSummaries"]
    yield {"outputs": {o["OutputKey"]: o["OutputValue"] for o in described["Outputs"]},
           "physical": {s["LogicalResourceId"]: s["PhysicalResourceId"] for s in summaries},
           "subnets": subnets, "profile": profile}
    cloudformation.delete_stack(StackName=name)


def test_scale_stack_deploys_into_moto(moto_endpoint: str, scale_stack: dict[str, Any],
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    outputs, physical = scale_stack["outputs"], scale_stack["physical"]
    autoscaling, elb = _client("autoscaling", moto_endpoint), _client("elbv2", moto_endpoint)
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[outputs["ServerGroupName"]])[
        "AutoScalingGroups"][0]
    assert group["MinSize"] == 2 and group["DesiredCapacity"] == 2
    assert sorted(group["VPCZoneIdentifier"].split(",")) == sorted(scale_stack["subnets"])  # two zones
    ec2 = _client("ec2", moto_endpoint)
    zones = {subnet["AvailabilityZone"] for subnet in ec2.describe_subnets(SubnetIds=scale_stack["subnets"])["Subnets"]}
    assert len(zones) == 2 and len(group["Instances"]) == 2  # (moto starts both in the first subnet's zone)
    balancer = elb.describe_load_balancers()["LoadBalancers"]
    dns = {b["DNSName"] for b in balancer}
    assert outputs["PublicUrl"].removeprefix("http://") in dns and outputs["HealthUrl"].endswith("/healthz")
    targets = elb.describe_target_groups(TargetGroupArns=[physical["TargetGroup"]])["TargetGroups"][0]
    assert targets["HealthCheckPath"] == "/healthz"
    # (Stickiness: moto ignores a target group's attributes from CloudFormation; the template test checks them.)
    # The servers' user data: the app's settings include the shared Redis over TLS, and they are valid.
    versions = ec2.describe_launch_template_versions(LaunchTemplateId=physical["ServerLaunchTemplate"])
    data = versions["LaunchTemplateVersions"][0]["LaunchTemplateData"]
    assert data["IamInstanceProfile"]["Name"] == scale_stack["profile"]
    script = base64.b64decode(data["UserData"]).decode()
    redis_url = "rediss://master.moviemagic-cache.abc123.use1.cache.amazonaws.com:6379/0"
    assert f"REDIS_URL='{redis_url}'" in script and outputs["RedisEndpoint"] == redis_url
    assert "TOPIC_NAME='moviemagic-bookings'" in script and f"PUBLIC_URL='{outputs['PublicUrl']}'" in script
    monkeypatch.setenv("MOVIEMAGIC_REDIS_URL", redis_url)
    assert load_settings(backend="aws", storage_secret="s" * 32, ticket_secret="t" * 32,
                         api_secret="a" * 32).redis_url == redis_url
