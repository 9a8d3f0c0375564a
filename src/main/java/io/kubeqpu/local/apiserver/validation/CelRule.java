package io.kubeqpu.local.apiserver.validation;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * One compiled {@code x-kubernetes-validations} expression (a rule or a messageExpression), evaluated by cel-java with
 * {@code self} (and {@code oldSelf}) bound as in kube-apiserver. Variables are typed {@code dyn}: kube-apiserver types
 * them from the schema, so a rule that would fail its type check there fails here only when evaluated (see
 * docs/embedded.md). The library is CEL's standard one plus the strings extension; Kubernetes' own libraries (quantity,
 * url, ip, lists, regex find) are not there.
 */
public final class CelRule {
    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addLibraries(CelExtensions.strings())
            .addVar("self", SimpleType.DYN)
            .addVar("oldSelf", SimpleType.DYN)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder()
            .addLibraries(CelExtensions.strings())
            .build();

    private final String source;
    private final CelRuntime.Program program;
    private final boolean transition;

    private CelRule(String source, CelRuntime.Program program, boolean transition) {
        this.source = source;
        this.program = program;
        this.transition = transition;
    }

    /** Compiles {@code source}; a syntax error is the CRD author's fault and surfaces as an IllegalArgumentException. */
    public static CelRule compile(String source) {
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(source).getAst();
            // A transition rule is one that reads oldSelf: the API server runs it only on update, with an old value.
            boolean transition = CelNavigableAst.fromAst(ast).getRoot().allNodes()
                    .anyMatch(n -> n.getKind() == CelExpr.ExprKind.Kind.IDENT && n.expr().ident().name().equals("oldSelf"));
            return new CelRule(source, RUNTIME.createProgram(ast), transition);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new IllegalArgumentException("invalid CEL expression " + source + ": " + e.getMessage(), e);
        }
    }

    public boolean isTransition() {
        return transition;
    }

    public String source() {
        return source;
    }

    /** Evaluates with {@code self} and, for a transition rule, {@code oldSelf} (CEL values, see {@link CelValues}). */
    public Object evaluate(Object self, Object oldSelf) throws CelEvaluationException {
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", self);
        if (oldSelf != null) {
            vars.put("oldSelf", oldSelf);
        }
        return program.eval(vars);
    }
}
