using System.Linq.Expressions;

namespace Dms.Common;

/// <summary>Composes query expressions: a lambda's body with its parameters replaced by other expressions.</summary>
public static class Lambdas
{
    /// <summary>The body of <paramref name="lambda"/>, each parameter replaced by the argument at its position.</summary>
    public static Expression Inline(LambdaExpression lambda, params Expression[] arguments) =>
        new Replace(lambda.Parameters.Zip(arguments).ToDictionary(p => (Expression)p.First, p => p.Second)).Visit(lambda.Body);

    private sealed class Replace(Dictionary<Expression, Expression> replacements) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => replacements.GetValueOrDefault(node) ?? base.VisitParameter(node);
    }
}
