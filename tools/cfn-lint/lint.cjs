// Lints a CloudFormation template with npm cfn-lint: template structure, resource types and their properties,
// required properties, property value types, Ref / Fn::GetAtt / Fn::Sub targets, conditions and parameters.
// cfn-lint's own resource specification is from 2019: it is given AWS CDK's (CloudFormation specification 117),
// which knows Aurora Serverless v2, RDS-managed master passwords and the ECS properties the template uses.
// cfn-lint checks every resource whatever its condition, so a parameter that only a conditional resource reads can
// be given a realistic value (NAME=VALUE after the template).
// Usage: node lint.cjs TEMPLATE [NAME=VALUE ...]; prints each finding and exits 1 on a critical one.
const path = require("path");
const awsData = require("cfn-lint/lib/awsData");
const specification = require("@aws-cdk/cfnspec/spec/specification.json");
Object.assign(awsData.awsResources.ResourceTypes, specification.ResourceTypes);
Object.assign(awsData.awsResources.PropertyTypes, specification.PropertyTypes);
// A property CloudFormation documents (since November 2024) that the last published specification predates: the user
// pool's feature plan, LITE, ESSENTIALS or PLUS (threat protection needs PLUS).
awsData.awsResources.ResourceTypes["AWS::Cognito::UserPool"].Properties.UserPoolTier = {
  Documentation: "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cognito-userpool.html#cfn-cognito-userpool-userpooltier",
  PrimitiveType: "String",
  Required: false,
  UpdateType: "Mutable",
};
// Metric math in a target-tracking policy (CloudFormation documents it since 2023, after that specification): the
// worker scales on its backlog per task, a quotient of two metrics. A customized metric is then Metrics alone, so the
// single-metric properties stop being required.
const scaling = "AWS::ApplicationAutoScaling::ScalingPolicy";
const docs = "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/";
const property = (page, type) => ({ Documentation: docs + page, Required: false, UpdateType: "Mutable", ...type });
const customized = awsData.awsResources.PropertyTypes[`${scaling}.CustomizedMetricSpecification`].Properties;
for (const name of ["MetricName", "Namespace", "Statistic"]) {
  customized[name].Required = false;
}
customized.Metrics = property("aws-properties-applicationautoscaling-scalingpolicy-customizedmetricspecification.html",
  { Type: "List", ItemType: "TargetTrackingMetricDataQuery", DuplicatesAllowed: false });
Object.assign(awsData.awsResources.PropertyTypes, {
  [`${scaling}.TargetTrackingMetricDataQuery`]: { Properties: {
    Expression: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdataquery.html", { PrimitiveType: "String" }),
    Id: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdataquery.html", { PrimitiveType: "String" }),
    Label: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdataquery.html", { PrimitiveType: "String" }),
    MetricStat: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdataquery.html", { Type: "TargetTrackingMetricStat" }),
    ReturnData: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdataquery.html", { PrimitiveType: "Boolean" }),
  } },
  [`${scaling}.TargetTrackingMetricStat`]: { Properties: {
    Metric: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricstat.html", { Type: "TargetTrackingMetric" }),
    Stat: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricstat.html", { PrimitiveType: "String" }),
    Unit: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricstat.html", { PrimitiveType: "String" }),
  } },
  [`${scaling}.TargetTrackingMetric`]: { Properties: {
    Dimensions: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetric.html",
      { Type: "List", ItemType: "TargetTrackingMetricDimension", DuplicatesAllowed: false }),
    MetricName: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetric.html", { PrimitiveType: "String" }),
    Namespace: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetric.html", { PrimitiveType: "String" }),
  } },
  [`${scaling}.TargetTrackingMetricDimension`]: { Properties: {
    Name: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdimension.html", { PrimitiveType: "String" }),
    Value: property("aws-properties-applicationautoscaling-scalingpolicy-targettrackingmetricdimension.html", { PrimitiveType: "String" }),
  } },
});
const cfnLint = require("cfn-lint");

const [template, ...settings] = process.argv.slice(2);
if (!template) {
  console.error("usage: node lint.cjs TEMPLATE [NAME=VALUE ...]");
  process.exit(2);
}

const parameters = Object.fromEntries(settings.map((setting) => [setting.slice(0, setting.indexOf("=")), setting.slice(setting.indexOf("=") + 1)]));
const result = cfnLint.validateFile(path.resolve(template), { parameters });
const { crit, warn, info } = result.errors;
for (const [level, findings] of Object.entries({ crit, warn, info })) {
  for (const finding of findings) {
    console.log(`${level}: ${finding.resource}: ${finding.message}`);
  }
}
console.log(`cfn-lint: ${crit.length} critical, ${warn.length} warnings, ${info.length} notes; template valid: ${result.templateValid}`);
process.exit(result.templateValid && crit.length === 0 ? 0 : 1);
