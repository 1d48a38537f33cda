// One upload: the file's bytes as the request body, its name in X-Filename. XMLHttpRequest
// rather than fetch, because only XHR reports upload progress.

export interface UploadHandle {
  done: Promise<{ id: string }>;
  abort(): void;
}

export class UploadError extends Error {}

export function uploadFile(file: File, uploadId: string, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ id: string }>((resolve, reject) => {
    xhr.open("POST", "/api/captures");
    // Header values are Latin-1 only; the server decodes this.
    xhr.setRequestHeader("X-Filename", encodeURIComponent(file.name));
    xhr.setRequestHeader("X-Upload-Id", uploadId);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      let body: { id?: string; error?: string } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // A non-JSON answer is described by its status below.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.id) resolve({ id: body.id });
      else reject(new UploadError(body.error ?? `the server answered ${xhr.status} ${xhr.statusText}`));
    };
    xhr.onerror = () =>
      reject(new UploadError("the connection to the server was lost (is the server running, and is the file under the upload limit?)"));
    xhr.onabort = () => reject(new UploadError("upload cancelled"));
    xhr.send(file);
  });
  return { done, abort: () => xhr.abort() };
}
