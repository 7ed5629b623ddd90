using System.Reflection;

namespace Rivulet.Core.Runtime;

/// <summary>
/// Gives every parallel subtask (and every restart attempt) its own instance of a user function:
/// a shallow copy (<c>MemberwiseClone</c>) of the instance the job was defined with, made before
/// <c>InitializeState</c>/<c>Open</c>. Flink copies functions by serialization; the .NET rule that
/// follows is the same as Flink's advice: set up mutable per-instance state in Open or
/// InitializeState, not in the constructor.
/// </summary>
internal static class FunctionCloner
{
    private static readonly Func<object, object> ShallowCopy =
        (Func<object, object>)typeof(object)
            .GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!
            .CreateDelegate(typeof(Func<object, object>));

    public static T Clone<T>(T function)
        where T : class => (T)ShallowCopy(function);
}
