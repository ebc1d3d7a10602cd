/** The numbered steps of a wizard, the current one marked (aria-current="step"). */
export function WizardSteps({ steps, current }: { steps: readonly string[]; current: number }) {
  return (
    <ol className="wizard-steps">
      {steps.map((label, i) => (
        <li key={label} aria-current={current === i + 1 ? 'step' : undefined} className={current === i + 1 ? 'wizard-step-current' : ''}>
          <span className="row-number">{i + 1}</span> {label}
        </li>
      ))}
    </ol>
  );
}
