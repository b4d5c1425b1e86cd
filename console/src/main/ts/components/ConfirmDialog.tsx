/**
 * A modal question before an action that cannot be taken back (cancel a run, run one again). The browser's own
 * `<dialog>`: focus moves into it and stays there, Escape answers no, and focus returns where it was.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';

export interface ConfirmDialogProps {
  readonly title: string;
  readonly confirmLabel: string;
  readonly declineLabel: string;
  readonly onConfirm: () => void;
  readonly onDecline: () => void;
  readonly children: ComponentChildren;
}

export function ConfirmDialog({ title, confirmLabel, declineLabel, onConfirm, onDecline, children }: ConfirmDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    element?.showModal();
    return () => {
      element?.close();
      opener?.focus();
    };
  }, []);
  return (
    <dialog ref={dialog} class="confirm" aria-labelledby="confirm-title" aria-describedby="confirm-body"
            onCancel={(event) => { event.preventDefault(); onDecline(); }}>
      <h2 id="confirm-title">{title}</h2>
      <div id="confirm-body">{children}</div>
      <div class="confirm-buttons">
        <button type="button" autofocus onClick={onDecline}>{declineLabel}</button>
        <button type="button" class="danger" onClick={onConfirm}>{confirmLabel}</button>
      </div>
    </dialog>
  );
}
