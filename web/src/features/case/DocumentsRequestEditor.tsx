import { type KeyboardEvent, useState } from 'react';
import { addDays, COMMON_DOCUMENTS, MAX_CHECKLIST_ITEM_LENGTH, MAX_CHECKLIST_ITEMS, MAX_DOCUMENTS_DUE_DAYS, toDateInput } from './decision-logic';

interface DocumentsRequestEditorProps {
  documents: string[];
  dueDate: string;
  onDocumentsChange: (documents: string[]) => void;
  onDueDateChange: (day: string) => void;
  documentsError?: string;
  dueDateError?: string;
}

/** The checklist the applicant must answer and by when; the SLA clock pauses meanwhile. */
export function DocumentsRequestEditor({ documents, dueDate, onDocumentsChange, onDueDateChange, documentsError, dueDateError }: DocumentsRequestEditorProps) {
  const [custom, setCustom] = useState('');
  const extra = documents.filter((d) => !COMMON_DOCUMENTS.includes(d));
  const toggle = (doc: string, on: boolean) => onDocumentsChange(on ? [...documents, doc] : documents.filter((d) => d !== doc));
  const addCustom = () => {
    const text = custom.trim();
    if (!text || documents.includes(text)) return;
    onDocumentsChange([...documents, text]);
    setCustom('');
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      addCustom();
    }
  };
  const today = new Date();

  return (
    <div className="sub-editor" data-testid="documents-editor">
      <div className="sub-editor-head">
        <span className="sub-editor-title">Documents checklist</span>
        <span className="muted small">{documents.length} selected</span>
      </div>
      <div className="checklist">
        {COMMON_DOCUMENTS.map((doc) => (
          <label key={doc} className="check">
            <input type="checkbox" checked={documents.includes(doc)} onChange={(e) => toggle(doc, e.target.checked)} data-testid="document-option" />
            {doc}
          </label>
        ))}
        {extra.map((doc) => (
          <label key={doc} className="check">
            <input type="checkbox" checked onChange={() => toggle(doc, false)} data-testid="document-option" />
            {doc}
          </label>
        ))}
      </div>
      <div className="inline-add">
        <input
          type="text"
          className="inline-add-input"
          placeholder="Another document…"
          aria-label="Another document"
          maxLength={MAX_CHECKLIST_ITEM_LENGTH}
          value={custom}
          onChange={(e) => setCustom(e.target.value)}
          onKeyDown={onKeyDown}
          data-testid="document-custom"
        />
        <button
          type="button"
          className="small"
          onClick={addCustom}
          disabled={!custom.trim() || documents.length >= MAX_CHECKLIST_ITEMS}
          data-testid="document-add"
        >
          Add
        </button>
      </div>
      {documentsError && (
        <div className="field-error" data-testid="documents-error">
          {documentsError}
        </div>
      )}
      <label className="due-date">
        Due by
        <input
          type="date"
          value={dueDate}
          min={toDateInput(addDays(today, 1))}
          max={toDateInput(addDays(today, MAX_DOCUMENTS_DUE_DAYS))}
          onChange={(e) => onDueDateChange(e.target.value)}
          aria-invalid={!!dueDateError}
          data-testid="documents-due"
        />
      </label>
      {dueDateError && (
        <div className="field-error" data-testid="documents-due-error">
          {dueDateError}
        </div>
      )}
      <p className="hint small">The partner is told at once, and the SLA clock pauses until the documents arrive.</p>
    </div>
  );
}
